package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * config/vigil.schema.json: the shipped configurations match it, bad documents fail at their YAML path, and the
 * forms it accepts are the ones the loader accepts. (ConfigSchemaAgreementTest checks the keys.)
 */
class ConfigSchemaTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path SCHEMA = ROOT.resolve("config/vigil.schema.json");

  private static List<String> check(String yaml) {
    return ConfigSchema.check(yaml).stream().map(ConfigError::toString).toList();
  }

  /** The value of {@code data.vigil.yaml} of the ConfigMap in a multi-document manifest. */
  static String embeddedConfig(Path manifest) throws IOException {
    List<String> configs = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(manifest))) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && "ConfigMap".equals(doc.path("kind").asText()) && doc.path("data").has("vigil.yaml")) {
          configs.add(doc.path("data").path("vigil.yaml").asText());
        }
      }
    }
    assertThat(configs).as("ConfigMaps with data.vigil.yaml in %s", manifest).hasSize(1);
    return configs.get(0);
  }

  @Nested
  class TheShippedConfigurationsMatch {
    @ParameterizedTest
    @ValueSource(strings = {"config/vigil.yaml", "src/main/resources/dev/vigil/demo/demo.yaml"})
    void files(String file) {
      assertThat(ConfigSchema.check(ROOT.resolve(file))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes/monitor/configmap.yaml",
        "deploy/kubernetes/sidecar/acgs-service-with-monitor.yaml"})
    void configMaps(String manifest) throws IOException {
      assertThat(check(embeddedConfig(ROOT.resolve(manifest)))).isEmpty();
    }

    @Test
    void theImageBuildSeesTheSchema() throws IOException {
      List<String> dockerfile = Files.readAllLines(ROOT.resolve("Dockerfile"));
      int copy = dockerfile.indexOf("COPY config/vigil.schema.json ./config/");
      assertThat(copy).as("the Dockerfile's build stage copies the schema").isNotNegative();
      assertThat(dockerfile.subList(copy, dockerfile.size())).as("before it builds the jar")
          .contains("RUN mvn -B -q package -DskipTests");
      assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).doesNotContain("config", "config/");
    }

    @Test
    void theJarCarriesTheSchemaFromConfig() throws IOException {
      try (InputStream in = ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE)) {
        assertThat(in).as("%s on the class path", ConfigSchema.RESOURCE).isNotNull();
        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(SCHEMA));
      }
    }
  }

  @Nested
  class TheSchemaItself {
    @Test
    void isAValidDraft202012Schema() throws IOException {
      var meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
      assertThat(meta.validate(Files.readString(SCHEMA), InputFormat.JSON)).isEmpty();
    }

    @Test
    void everyMappingIsClosedOrAMapOfTypedValues() throws IOException {
      List<String> open = new ArrayList<>();
      collectOpenObjects(new ObjectMapper().readTree(SCHEMA.toFile()), "#", open);
      assertThat(open).as("object schemas without additionalProperties").isEmpty();
    }

    private void collectOpenObjects(JsonNode node, String at, List<String> open) {
      if (node.isObject()) {
        if (node.path("type").asText().equals("object") && !node.has("additionalProperties")) {
          open.add(at);
        }
        node.fields().forEachRemaining(e -> collectOpenObjects(e.getValue(), at + "/" + e.getKey(), open));
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          collectOpenObjects(node.get(i), at + "/" + i, open);
        }
      }
    }

    /** Each documented default is a value the schema accepts at its own place. */
    @Test
    void everyDefaultMatchesItsProperty() throws IOException {
      JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());
      List<String> bad = new ArrayList<>();
      Map<String, JsonNode> documents = new java.util.LinkedHashMap<>();
      schema.path("properties").fields().forEachRemaining(section -> {
        JsonNode value = section.getValue();
        if (value.has("default")) {
          documents.put(section.getKey(), value.get("default"));
        }
        value.path("properties").fields().forEachRemaining(key -> {
          if (key.getValue().has("default")) {
            documents.put(section.getKey() + "." + key.getKey(), key.getValue().get("default"));
          }
        });
      });
      assertThat(documents).hasSizeGreaterThan(20);
      ObjectMapper json = new ObjectMapper();
      JsonNode minimalTargets = new YAMLMapper().readTree(MINIMAL).get("targets");
      documents.forEach((path, value) -> {
        ObjectNode doc = json.createObjectNode();
        String[] parts = path.split("\\.");
        ObjectNode at = doc;
        for (int i = 0; i < parts.length - 1; i++) {
          at = at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
        if (parts.length == 2) {
          fillRequiredSiblings(schema.path("properties").path(parts[0]), at);
        }
        doc.set("targets", minimalTargets);
        List<String> errors = check(doc.toString());
        if (!errors.isEmpty()) {
          bad.add(path + " default " + value + ": " + errors);
        }
      });
      assertThat(bad).isEmpty();
    }

    /** A section with required keys is checked with each missing one set to its schema example. */
    private void fillRequiredSiblings(JsonNode section, ObjectNode at) {
      section.path("required").forEach(name -> {
        if (!at.has(name.asText())) {
          JsonNode example = section.path("properties").path(name.asText()).path("examples").path(0);
          assertThat(example.isMissingNode()).as("%s has an example", name.asText()).isFalse();
          at.set(name.asText(), example);
        }
      });
    }
  }

  @Nested
  class BadDocumentsFailAtTheirPath {
    static Stream<Arguments> bad() {
      return Stream.of(
          arguments(withMinimalTargets("server: {zz: 1}"), "server.zz: unknown key; expected one of: host, port, adminToken"),
          arguments(withMinimalTargets("zz: 1"), "zz: unknown key; expected one of: monitorId, server, polling,"),
          arguments(withMinimalTargets("server: {port: 70000}"), "server.port: must have a maximum value of 65535"),
          arguments(withMinimalTargets("server: {port: http}"), "server.port: not valid; expected an integer"),
          arguments(withMinimalTargets("monitorId: 'two words'"), "monitorId: not valid; expected this monitor's id"),
          arguments(withMinimalTargets("polling: {interval: 30}"), "polling.interval: not valid (integer found, string expected);"
              + " expected a duration as Prometheus writes it"),
          arguments(withMinimalTargets("polling: {retryBackoff: soon}"), "polling.retryBackoff: not valid; expected a duration"),
          arguments(withMinimalTargets("polling: {jitter: 1.5}"), "polling.jitter: must have a maximum value of 1"),
          arguments(withMinimalTargets("polling: {partitionThreshold: 0}"), "polling.partitionThreshold: must have an exclusive minimum value of 0"),
          arguments(withMinimalTargets("rules: {hash_mismatch: {severity: bogus}}"),
              "rules.hash_mismatch.severity: expected one of: critical, high, warning"),
          arguments(withMinimalTargets("rules: {mine: {threshold: 1}}"), "rules.mine.kind: required"),
          arguments(withMinimalTargets("rules: {availability: {threshold: 1.5}}"),
              "rules.availability.threshold: must have a maximum value of 1"),
          arguments(withMinimalTargets("rules: {mine: {kind: error_rate, threshold: 2}}"),
              "rules.mine.threshold: must have a maximum value of 1"),
          arguments(withMinimalTargets("rules: {Mine: {kind: throughput}}"), "rules.Mine: not a valid name"),
          arguments(withMinimalTargets("policies: {default: {pinnedDigest: ABCD}}"),
              "policies.default.pinnedDigest: not valid; expected the SHA-256 of the constitution document"),
          arguments(withMinimalTargets("rollback: {actuators: {default: {type: istio, namespace: acgs, name: r, url: 'http://x'}}}"),
              "rollback.actuators.default.url: not allowed here: the simulator's admin URL or the webhook (http or https);"
                  + " simulator and webhook only."),
          arguments(withMinimalTargets("rollback: {actuators: {default: {type: webhook}}}"), "rollback.actuators.default.url: required"),
          arguments(withMinimalTargets("rollback: {severities: []}"), "rollback.severities: must have at least 1 items but found 0"),
          arguments(withMinimalTargets("kafka: {properties: {acks: '0'}}"), "kafka.properties.acks: not a valid name"),
          arguments(MINIMAL + "  - {service: a, environment: green}\n", "targets[1].url: required"),
          arguments(MINIMAL + "    tls: {certFile: c.pem}\n", "targets[0].tls: has a missing property 'keyFile'"),
          arguments(ConfigFixtures.key("scheme: rsa"),
              "targets[0].keys[0].scheme: expected one of: ed25519, ecdsa-sha2-nistp256, rsassa-pss-sha256"),
          arguments(MINIMAL.replace("http://127.0.0.1:8000", "ftp://x"), "targets[0].url: not valid; expected the service's base URL"),
          arguments("server: {port: 1}\n", "targets: required"),
          arguments("targets: []\n", "targets: must have at least 1 items but found 0"),
          arguments(withMinimalTargets("server: {port: 1}\nserver: {port: 2}"), "server: duplicate key (line 2)"),
          arguments("", "the configuration is empty; it needs at least 'targets'"),
          arguments("targets: [\n", "not valid YAML at line"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void named(String yaml, String expected) {
      assertThat(check(yaml)).anyMatch(e -> e.startsWith(expected));
    }

    @Test
    void everyErrorAtOnce() {
      List<String> errors = check(withMinimalTargets("server: {port: 70000, zz: 1}\npolling: {timeout: 5x}"));
      assertThat(errors).hasSize(3);
    }

    @Test
    void anEnumeratedValueGivesOneErrorNotOnePerAlternative() {
      assertThat(check(withMinimalTargets("rules: {hash_mismatch: {severity: bogus}}"))).hasSize(1);
    }

    @Test
    void aThresholdAboveOneIsOnlyWrongForAShare() {
      assertThat(check(withMinimalTargets("rules: {latency_p95: {threshold: 3}, mine: {kind: throughput, threshold: 50}}")))
          .isEmpty();
    }

    @Test
    void theAdminTokenIsNeverEchoed() {
      List<String> errors = check(withMinimalTargets("server: {adminToken: sh0rt-s3cret}"));
      assertThat(errors).singleElement().asString().startsWith("server.adminToken: not valid").doesNotContain("sh0rt-s3cret");
    }
  }

  @Nested
  class SubstitutionsStandForAnyScalar {
    @ParameterizedTest
    @ValueSource(strings = {
        "monitorId: ${ID}", "server: {port: '${PORT}'}", "server: {port: '${PORT:-9470}'}", "server: {host: '${H}'}",
        "polling: {interval: '${I:-30s}', retries: '${R}', jitter: '${J:-0.5}'}",
        "policies: {default: {requireSignature: '${SIG:-true}', pinnedDigest: '${DIGEST}'}}",
        "rules: {hash_mismatch: {severity: '${SEV}', enabled: '${ON}'}}",
        "rollback: {actuators: {default: {type: '${T}', url: '${U}'}}, from: '${FROM}'}",
        "kafka: {bootstrapServers: '${KAFKA:-}', breachesTopic: 'b-${ENV}'}",
        "controller: {port: '${CP}', consumerGroup: '${G}'}"})
    void accepted(String section) {
      assertThat(check(withMinimalTargets(section))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"server: {port: '$${PORT}'}", "server: {port: '${1PORT}'}", "server: {port: '${PORT'}"})
    void notAReferenceIsNoSubstitution(String section) {
      assertThat(check(withMinimalTargets(section))).singleElement().asString().startsWith("server.port: not valid");
    }

    @Test
    void quotedNumbersAndBooleansAreAcceptedLikeTheLoaderDoes() {
      assertThat(check(withMinimalTargets("server: {port: '9470'}\npolling: {jitter: '0.5'}\n"
          + "policies: {default: {requireSignature: 'false'}}"))).isEmpty();
    }
  }

  /** The duration pattern and {@link Durations#parse} agree on every form. */
  @Nested
  class DurationForms {
    @ParameterizedTest
    @ValueSource(strings = {"500ms", "30s", "2m", "1h", "7d", "2w", "1y", "1m30s", "1h30m", "1d12h", "30s500ms", " 30s ",
        "PT30S", "pt1h", "P1D", "PT0.5S", "P1DT2H"})
    void accepted(String duration) {
      assertThatCode(() -> Durations.parse(duration)).doesNotThrowAnyException();
      assertThat(check(withMinimalTargets("scoring: {window: '" + duration + "'}"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1s1m", "30ms1s", "5x", "", " ", "1.5s", "-1s", "PT", "P", "P1DT", "P1W", "30 s", "s",
        "1234567890s"})
    void rejected(String duration) {
      assertThatThrownBy(() -> Durations.parse(duration)).isInstanceOf(IllegalArgumentException.class);
      assertThat(check(withMinimalTargets("scoring: {window: '" + duration + "'}")))
          .singleElement().asString().startsWith("scoring.window: not valid; expected a duration");
    }
  }
}
