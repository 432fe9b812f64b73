package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSubstitutionTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  private ConfigResult parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, dir, env);
  }

  private static String substitute(String text, Map<String, String> env, List<String> errors) {
    return EnvSubstitution.apply(text, env, errors::add);
  }

  @Nested
  class Values {
    @Test
    void setVariablesAreSubstitutedBeforeTyping() {
      VigilConfig c = parse(withMinimalTargets("""
          monitorId: monitor-${REGION}
          server: {port: "${PORT}", adminToken: "${TOKEN}"}
          polling: {interval: "${INTERVAL}", jitter: "${JITTER}"}
          policies: {default: {requireSignature: "${SIGNED}"}}
          """), Map.of("REGION", "eu", "PORT", "9999", "TOKEN", ConfigFixtures.TOKEN, "INTERVAL", "45s",
          "JITTER", "0.1", "SIGNED", "true")).orElseThrow();
      assertThat(c.monitorId()).isEqualTo("monitor-eu");
      assertThat(c.server().port()).isEqualTo(9999);
      assertThat(c.server().adminToken()).isEqualTo(ConfigFixtures.TOKEN);
      assertThat(c.polling().interval()).hasSeconds(45);
      assertThat(c.polling().jitter()).isEqualTo(0.1);
    }

    @Test
    void theDefaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
      String yaml = withMinimalTargets("server: {port: '${PORT:-1234}'}");
      assertThat(parse(yaml, Map.of()).orElseThrow().server().port()).isEqualTo(1234);
      assertThat(parse(yaml, Map.of("PORT", "")).orElseThrow().server().port()).isEqualTo(1234);
      assertThat(parse(yaml, Map.of("PORT", "80")).orElseThrow().server().port()).isEqualTo(80);
    }

    @Test
    void anEmptyAdminTokenDisablesTheAdminEndpoints() {
      assertThat(parse(withMinimalTargets("server: {adminToken: '${TOKEN:-}'}"), Map.of()).orElseThrow()
          .server().adminToken()).isNull();
    }

    @Test
    void anUnsetVariableIsAnErrorNamingPathAndVariable() {
      assertThat(parse(withMinimalTargets("server: {port: '${PORT}'}"), Map.of()).errors())
          .containsExactly(new ConfigError("server.port",
              "environment variable PORT is not set (write ${PORT:-default} to give a default)"));
    }

    @Test
    void everyUnsetVariableInOneValueIsReported() {
      assertThat(parse(withMinimalTargets("monitorId: ${A}-${B}"), Map.of()).errors())
          .extracting(ConfigError::message)
          .containsExactly("environment variable A is not set (write ${A:-default} to give a default)",
              "environment variable B is not set (write ${B:-default} to give a default)");
    }

    @Test
    void keyFilePathsAndListItemsAreSubstituted() {
      String yaml = MINIMAL.replace("file: ed1.pub.pem", "file: ${KEYS}/ed1.pub.pem\n        scope: [\"${SVC}\"]");
      VigilConfig c = parse(yaml, Map.of("KEYS", dir.toString(), "SVC", "auth-service")).orElseThrow();
      assertThat(c.targets().get(0).keys().get(0).source()).isEqualTo(dir.resolve("ed1.pub.pem").toString());
      assertThat(parse(yaml, Map.of("KEYS", dir.toString())).errors()).extracting(ConfigError::path)
          .containsExactly("targets[0].keys[0].scope[0]");
    }

    @Test
    void dollarDollarBraceIsALiteral() {
      VigilConfig c = parse(withMinimalTargets("policies: {default: {expectedHash: '$${NOT_A_VAR}'}}"),
          Map.of()).orElseThrow();
      assertThat(c.defaultPolicy().expectedHash()).isEqualTo("${NOT_A_VAR}");
    }
  }

  @Nested
  class Secrets {
    @Test
    void aNestedDefaultAdminTokenIsSubstitutedNotKeptLiterally() {
      String yaml = withMinimalTargets("server: {adminToken: '${VIGIL_ADMIN_TOKEN:-${FALLBACK}}'}");
      assertThat(parse(yaml, Map.of("FALLBACK", ConfigFixtures.TOKEN)).orElseThrow().server().adminToken())
          .isEqualTo(ConfigFixtures.TOKEN);
      assertThat(parse(yaml, Map.of()).errors()).containsExactly(new ConfigError("server.adminToken",
          "environment variable FALLBACK is not set (write ${FALLBACK:-default} to give a default)"));
    }

    @Test
    void aSecretStillHoldingDollarBraceAfterSubstitutionIsAnErrorThatDoesNotEchoIt() {
      String token = "${NOT_EXPANDED}-0123456789abcdef";
      for (String yaml : List.of(withMinimalTargets("server: {adminToken: '${T}'}"),
          withMinimalTargets("server: {adminToken: '$${NOT_EXPANDED}-0123456789abcdef'}"))) {
        List<ConfigError> errors = parse(yaml, Map.of("T", token)).errors();
        assertThat(errors).singleElement().satisfies(e -> {
          assertThat(e.path()).isEqualTo("server.adminToken");
          assertThat(e.message()).startsWith("still contains '${' after substitution").doesNotContain("NOT_EXPANDED");
        });
      }
      assertThat(parse(MINIMAL.replace("file: ed1.pub.pem", "file: '${K}'"), Map.of("K", "${DIR}/ed1.pub.pem")).errors())
          .extracting(ConfigError::path).containsExactly("targets[0].keys[0].file");
    }

    @Test
    void aShortAdminTokenStaysRefused() {
      assertThat(parse(withMinimalTargets("server: {adminToken: '${T:-${U}}'}"), Map.of("U", "short")).errors())
          .extracting(ConfigError::path).containsExactly("server.adminToken");
    }
  }

  @Nested
  class Syntax {
    @Test
    void textWithoutReferencesIsUnchanged() {
      List<String> errors = new ArrayList<>();
      assertThat(substitute("a $ b $x {y} $}", Map.of(), errors)).isEqualTo("a $ b $x {y} $}");
      assertThat(errors).isEmpty();
    }

    @Test
    void substitutedTextIsNotScannedAgain() {
      List<String> errors = new ArrayList<>();
      assertThat(substitute("${A}", Map.of("A", "${B}"), errors)).isEqualTo("${B}");
      assertThat(errors).isEmpty();
      assertThat(substitute("${A:-${B}", Map.of(), errors)).isNull();
      assertThat(errors).containsExactly("unterminated '${'; write ${NAME} or ${NAME:-default}, or $${ for a literal '${'");
    }

    @Test
    void nestedDefaultsAreSubstituted() {
      List<String> errors = new ArrayList<>();
      assertThat(substitute("${A:-${B}}", Map.of("B", "b"), errors)).isEqualTo("b");
      assertThat(substitute("${A:-${B}}", Map.of("A", "a"), errors)).isEqualTo("a");
      assertThat(substitute("x-${A:-${B:-${C:-deep}}}-y", Map.of(), errors)).isEqualTo("x-deep-y");
      assertThat(substitute("${A:-pre-${B}-post}", Map.of("B", "b"), errors)).isEqualTo("pre-b-post");
      assertThat(substitute("${A:-$${B}}", Map.of(), errors)).isEqualTo("${B}");
      assertThat(errors).isEmpty();
    }

    @Test
    void anUnsetVariableInAnUnusedDefaultIsNoError() {
      List<String> errors = new ArrayList<>();
      assertThat(substitute("${A:-${B}}", Map.of("A", "a"), errors)).isEqualTo("a");
      assertThat(errors).isEmpty();
      assertThat(substitute("${A:-${B}}", Map.of(), errors)).isNull();
      assertThat(errors).containsExactly("environment variable B is not set (write ${B:-default} to give a default)");
    }

    @Test
    void nestingIsBounded() {
      List<String> errors = new ArrayList<>();
      String deep = "${A:-".repeat(9) + "x" + "}".repeat(9);
      assertThat(substitute(deep, Map.of(), errors)).isNull();
      assertThat(errors).containsExactly("references nested more than 8 deep in a default");
      errors.clear();
      assertThat(substitute("${A:-".repeat(8) + "x" + "}".repeat(8), Map.of(), errors)).isEqualTo("x");
    }

    @Test
    void aLongValueWithAnUnterminatedReferenceIsOneError() {
      String big = "${A:-x}".repeat(200_000) + "${UNCLOSED:-" + "y".repeat(1_000_000);
      List<String> errors = new ArrayList<>();
      assertThat(substitute(big, Map.of(), errors)).isNull();
      assertThat(errors).singleElement().asString().startsWith("unterminated");
    }

    @Test
    void malformedReferencesAreErrors() {
      List<String> errors = new ArrayList<>();
      assertThat(substitute("x ${UNCLOSED", Map.of(), errors)).isNull();
      assertThat(substitute("${}", Map.of(), errors)).isNull();
      assertThat(substitute("${1ABC}", Map.of(), errors)).isNull();
      assertThat(errors).hasSize(3);
      assertThat(errors.get(0)).startsWith("unterminated '${'");
      assertThat(errors.get(1)).startsWith("'${}' is not a variable reference");
    }
  }
}
