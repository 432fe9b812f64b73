package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code vigil verify --file} over every known-answer case of src/test/resources/vectors/cases.json. */
class VerifyVectorsTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static Path vectors() {
    try {
      return Path.of(VerifyVectorsTest.class.getResource("/vectors/cases.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode casesJson() throws IOException {
    return MAPPER.readTree(vectors().resolve("cases.json").toFile());
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : casesJson().get("cases")) {
      out.add(Arguments.of(c.get("name").asText(), c));
    }
    return out.stream();
  }

  /** The verify arguments a case describes. */
  static List<String> argsFor(JsonNode c) {
    Path dir = vectors();
    List<String> args = new ArrayList<>(List.of("verify",
        "--file", dir.resolve(c.get("file").asText()).toString(),
        "--service", c.get("service").asText(),
        "--environment", c.get("environment").asText(),
        "--nonce", c.get("nonce").asText(),
        "--expected-hash", c.get("expectedHash").asText(),
        "--now", c.get("now").asText(),
        "--max-clock-skew", c.get("maxClockSkewSeconds").asInt() + "s",
        "--threshold", Integer.toString(c.get("threshold").asInt())));
    for (JsonNode k : c.get("trustedKeys")) {
      args.add("--key");
      args.add(dir.resolve(k.asText()).toString());
    }
    return args;
  }

  @Nested
  class Text {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vigil.cli.VerifyVectorsTest#cases")
    void printsTheExpectedVerdictWithTheMatchingExitCode(String name, JsonNode c) {
      String expected = c.get("expectedVerdict").asText();

      Cli.Result r = Cli.run(argsFor(c));

      assertThat(r.out()).as(r.toString()).startsWith(expected + ": " + c.get("service").asText() + "/");
      assertThat(r.code()).as(r.toString()).isEqualTo(expected.equals("compliant") ? 0 : 1);
      assertThat(r.err()).isEmpty();
    }
  }

  @Nested
  class Json {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.vigil.cli.VerifyVectorsTest#cases")
    void printsOneJsonObjectWithVerdictDetailAndSigned(String name, JsonNode c) throws IOException {
      String expected = c.get("expectedVerdict").asText();

      Cli.Result r = Cli.run(Cli.args(argsFor(c), "--json"));

      assertThat(r.code()).as(r.toString()).isEqualTo(expected.equals("compliant") ? 0 : 1);
      JsonNode o = MAPPER.readTree(r.out());
      assertThat(o.isObject()).isTrue();
      assertThat(o.get("verdict").asText()).isEqualTo(expected);
      assertThat(o.get("detail").isTextual()).isTrue();
      assertThat(o.get("detail").asText()).isNotBlank();
      assertThat(o.get("signed").isBoolean()).isTrue();
      assertThat(o.get("service").asText()).isEqualTo(c.get("service").asText());
      assertThat(o.get("environment").asText()).isEqualTo(c.get("environment").asText());
      assertThat(o.get("nonce").asText()).isEqualTo(c.get("nonce").asText());
      assertThat(o.get("file").asText()).endsWith(c.get("file").asText().replace('/', java.io.File.separatorChar));
      assertThat(o.has("url")).isFalse();
      if (expected.equals("compliant")) {
        assertThat(o.get("signed").asBoolean()).isTrue();
        assertThat(o.get("keyIds")).hasSize(c.get("threshold").asInt());
      }
    }

    @Test
    void unsignedVerdictsAreMarkedUnsigned() throws IOException {
      JsonNode untrusted = null;
      for (JsonNode c : casesJson().get("cases")) {
        if (c.get("expectedVerdict").asText().equals("unknown_key")) {
          untrusted = c;
        }
      }
      assertThat(untrusted).as("a case with verdict unknown_key").isNotNull();

      JsonNode o = MAPPER.readTree(Cli.run(Cli.args(argsFor(untrusted), "--json")).out());

      assertThat(o.get("signed").asBoolean()).isFalse();
      assertThat(o.get("keyIds")).isEmpty();
    }
  }

  @Nested
  class Coverage {
    @Test
    void everyCaseIsRunAndBothOutcomesOccur() throws IOException {
      JsonNode cases = casesJson().get("cases");
      long compliant = 0;
      for (JsonNode c : cases) {
        compliant += c.get("expectedVerdict").asText().equals("compliant") ? 1 : 0;
      }

      assertThat(cases.size()).isGreaterThanOrEqualTo(20);
      assertThat(compliant).isPositive().isLessThan(cases.size());
    }
  }
}
