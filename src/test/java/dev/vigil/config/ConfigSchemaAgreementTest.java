package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.attest.Scheme;
import dev.vigil.score.Rule;
import dev.vigil.score.RuleKind;
import dev.vigil.score.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema and the loader agree on the keys of every mapping. The schema is walked; at each closed mapping
 * ({@code additionalProperties: false}) a document puts the unknown key {@code zzUnknown} there (the first item
 * of a list, {@code propertyNames.examples[0]} of a map), the real {@link ConfigLoader} loads it, and its "unknown
 * key; expected one of: ..." list for that path must name exactly the schema's properties. A failure lists, per
 * mapping, the keys only one of them knows: add those to config/vigil.schema.json (or to the loader).
 */
class ConfigSchemaAgreementTest {
  private static final String UNKNOWN = "zzUnknown";
  private static final String EXPECTED = "unknown key; expected one of: ";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode schema;

  @TempDir Path dir;

  /**
   * A closed mapping of the schema: where it sits in a document ({@code String} keys, {@code Integer} items) and
   * in the schema (a JSON pointer).
   */
  record Place(List<Object> at, String schemaAt, Set<String> keys) {
    String yamlPath() {
      StringBuilder sb = new StringBuilder();
      for (Object o : at) {
        if (o instanceof Integer i) {
          sb.append('[').append(i).append(']');
        } else {
          sb.append(sb.length() == 0 ? "" : ".").append(o);
        }
      }
      return sb.toString();
    }
  }

  @BeforeAll
  static void read() throws IOException {
    schema = JSON.readTree(ConfigSchemaTest.SCHEMA.toFile());
  }

  @Test
  void theWalkReachesEveryKindOfMapping() {
    assertThat(places().stream().map(Place::yamlPath)).contains("", "server", "polling", "scoring", "policies.default",
        "rules.hash_mismatch", "targets[0]", "targets[0].keys[0]", "targets[0].tls", "kafka", "events", "rollback",
        "rollback.blastRadius", "rollback.validation", "rollback.actuators.default", "controller",
        "controller.trustedMonitorKeys[0]");
  }

  @Test
  void everyMappingHasTheLoadersKeys() {
    List<String> differences = new ArrayList<>();
    for (Place place : places()) {
      String unknownAt = place.at().isEmpty() ? UNKNOWN : place.yamlPath() + "." + UNKNOWN;
      List<ConfigError> errors = ConfigLoader.parse(document(place.at()), dir, Map.of()).errors();
      List<String> lists = errors.stream()
          .filter(e -> e.path().equals(unknownAt) && e.message().startsWith(EXPECTED))
          .map(e -> e.message().substring(EXPECTED.length())).toList();
      if (lists.size() != 1) {
        differences.add(where(place) + ": the loader did not report " + unknownAt + " as an unknown key; it said "
            + errors);
        continue;
      }
      Set<String> loader = new LinkedHashSet<>(Arrays.asList(lists.get(0).split(", ")));
      Set<String> onlyLoader = new LinkedHashSet<>(loader);
      onlyLoader.removeAll(place.keys());
      Set<String> onlySchema = new LinkedHashSet<>(place.keys());
      onlySchema.removeAll(loader);
      List<String> sides = new ArrayList<>();
      if (!onlyLoader.isEmpty()) {
        sides.add("only the loader knows " + onlyLoader);
      }
      if (!onlySchema.isEmpty()) {
        sides.add("only the schema knows " + onlySchema);
      }
      if (!sides.isEmpty()) {
        differences.add(where(place) + ": " + String.join("; ", sides));
      }
    }
    assertThat(differences)
        .as("config/vigil.schema.json and the loader disagree on these keys")
        .isEmpty();
  }

  /** The schema's enumerations list exactly the code's values. */
  @Test
  void everyEnumerationIsTheCodes() {
    assertThat(enumAt("#/$defs/severity")).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(Severity.values()).map(Severity::label).toList());
    assertThat(enumAt("#/$defs/rule/properties/kind")).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(RuleKind.values()).map(RuleKind::label).toList());
    assertThat(enumAt("#/$defs/key/properties/scheme")).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(Scheme.values()).map(Scheme::wireName).toList());
    assertThat(enumAt("#/$defs/actuator/properties/type")).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(ActuatorConfig.Type.values()).map(ActuatorConfig.Type::label).toList());
    assertThat(enumAt("#/properties/targets/items/properties/mode")).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(TargetConfig.Mode.values()).map(m -> m.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .toList());
    assertThat(schema.at("/properties/rules/properties").fieldNames()).toIterable()
        .as("the built-in rules").containsExactlyElementsOf(Rule.defaults().stream().map(Rule::name).toList());
  }

  /** The schema lets through exactly the kafka.properties names the loader lets through. */
  @Test
  void kafkaPropertiesPassTheSameNames() {
    java.util.regex.Pattern names = java.util.regex.Pattern.compile(
        schema.at("/properties/kafka/properties/properties/propertyNames/pattern").asText());
    assertThat(KafkaConfig.TUNING).allMatch(k -> names.matcher(k).matches());
    assertThat(List.of("security.protocol", "ssl.truststore.location", "sasl.mechanism"))
        .allMatch(k -> names.matcher(k).matches());
    assertThat(List.of("acks", "enable.idempotence", "enable.auto.commit", "isolation.level", "group.id",
        "bootstrap.servers", "key.serializer", "value.deserializer")).noneMatch(k -> names.matcher(k).matches());
  }

  /** Each documented default is what the loader fills in when the key is left out. */
  @Test
  void everyDocumentedDefaultIsTheLoadersDefault() {
    ConfigFixtures.writeKeys(dir);
    VigilConfig c = ConfigFixtures.valid(ConfigFixtures.MINIMAL, dir);
    RollbackConfig r = c.rollback();
    Map<String, Object> actual = new LinkedHashMap<>();
    actual.put("monitorId", c.monitorId());
    actual.put("server.host", c.server().host());
    actual.put("server.port", c.server().port());
    PollingConfig p = c.polling();
    actual.put("polling.interval", p.interval());
    actual.put("polling.timeout", p.timeout());
    actual.put("polling.retries", p.retries());
    actual.put("polling.retryBackoff", p.retryBackoff());
    actual.put("polling.concurrency", p.concurrency());
    actual.put("polling.jitter", p.jitter());
    actual.put("polling.partitionThreshold", p.partitionThreshold());
    actual.put("polling.partitionMinTargets", p.partitionMinTargets());
    actual.put("polling.maxResponseBytes", p.maxResponseBytes());
    actual.put("scoring.window", c.scoring().window());
    actual.put("policies.default.expectedHash", c.defaultPolicy().expectedHash());
    actual.put("policies.default.requireSignature", c.defaultPolicy().requireSignature());
    actual.put("policies.default.maxClockSkew", c.defaultPolicy().maxClockSkew());
    actual.put("targets[0].attestationPath", c.targets().get(0).attestationPath());
    actual.put("targets[0].mode", c.targets().get(0).mode().name().toLowerCase(Locale.ROOT));
    actual.put("targets[0].threshold", c.targets().get(0).threshold());
    actual.put("targets[0].keys[0].revoked", c.targets().get(0).keys().get(0).key().revoked());
    actual.put("kafka.breachesTopic", c.kafka().breachesTopic());
    actual.put("kafka.rollbacksTopic", c.kafka().rollbacksTopic());
    actual.put("kafka.deadLetterTopic", c.kafka().deadLetterTopic());
    actual.put("kafka.deliveryTimeout", c.kafka().deliveryTimeout());
    actual.put("events.outboxDir", dir.relativize(c.events().outboxDir()));
    actual.put("events.outboxCapacity", c.events().outboxCapacity());
    actual.put("rollback.severities", r.severities());
    actual.put("rollback.cooldown", r.cooldown());
    actual.put("rollback.blastRadius.max", r.blastRadiusMax());
    actual.put("rollback.blastRadius.window", r.blastRadiusWindow());
    actual.put("rollback.dryRun", r.dryRun());
    actual.put("rollback.validation.consecutive", r.validationConsecutive());
    actual.put("rollback.validation.timeout", r.validationTimeout());
    actual.put("rollback.validation.interval", r.validationInterval());
    actual.put("rollback.executionTimeout", r.executionTimeout());
    actual.put("rollback.dedupDir", r.dedupDir());
    actual.put("rollback.dedupRetention", r.dedupRetention());
    actual.put("rollback.maxEventAge", r.maxEventAge());
    actual.put("rollback.maxClockSkew", r.maxClockSkew());
    actual.put("rollback.from", r.from());
    actual.put("rollback.to", r.to());
    actual.put("rollback.critical", r.critical());
    actual.put("controller.consumerGroup", c.controller().consumerGroup());
    actual.put("controller.host", c.controller().host());
    actual.put("controller.port", c.controller().port());
    actual.put("controller.maxAttempts", c.controller().maxAttempts());
    actual.put("controller.stallThreshold", c.controller().stallThreshold());
    List<String> differences = new ArrayList<>();
    actual.forEach((path, value) -> {
      JsonNode def = property(path).path("default");
      if (!same(def, value)) {
        differences.add(path + ": the schema's default is " + (def.isMissingNode() ? "absent" : def)
            + ", the loader's " + value);
      }
    });
    assertThat(differences).isEmpty();
  }

  private static boolean same(JsonNode def, Object actual) {
    if (actual instanceof Duration d) {
      return def.isTextual() && Durations.parse(def.asText()).equals(d);
    }
    if (actual instanceof Number n) {
      return def.isNumber() && def.doubleValue() == n.doubleValue();
    }
    if (actual instanceof Boolean b) {
      return def.isBoolean() && def.booleanValue() == b;
    }
    if (actual instanceof Collection<?> values) {
      Set<String> documented = new LinkedHashSet<>();
      def.forEach(v -> documented.add(v.asText()));
      return def.isArray() && documented.equals(values.stream().map(String::valueOf).collect(Collectors.toSet()));
    }
    return def.isTextual() && def.asText().equals(String.valueOf(actual));
  }

  /** The schema of the key at a YAML path such as {@code targets[0].keys[0].revoked}, through references. */
  private static JsonNode property(String yamlPath) {
    JsonNode s = schema;
    for (String segment : yamlPath.replace("[0]", ".[0]").split("\\.")) {
      s = deref(s);
      if (segment.equals("[0]")) {
        s = s.path("items");
      } else if (s.path("properties").has(segment)) {
        s = s.path("properties").path(segment);
      } else {
        s = s.path("additionalProperties");
      }
    }
    return s;
  }

  private static JsonNode deref(JsonNode node) {
    JsonNode s = node;
    while (s.has("$ref")) {
      s = schema.at(s.get("$ref").asText().substring(1));
    }
    return s;
  }

  private static List<String> enumAt(String pointer) {
    JsonNode s = schema.at(pointer.substring(1));
    JsonNode values = s.has("enum") ? s.get("enum") : s.path("anyOf").path(0).path("enum");
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.asText()));
    assertThat(out).as("the enum at %s", pointer).isNotEmpty();
    return out;
  }

  private static String where(Place place) {
    return (place.at().isEmpty() ? "(top level)" : place.yamlPath()) + " (schema " + place.schemaAt() + ")";
  }

  /** {@code {"a": [{"b": {"zzUnknown": 1}}]}} for the place {@code a[0].b}: JSON, which is YAML. */
  private static String document(List<Object> at) {
    JsonNode leaf = JSON.createObjectNode().put(UNKNOWN, 1);
    JsonNode node = leaf;
    for (int i = at.size() - 1; i >= 0; i--) {
      if (at.get(i) instanceof Integer) {
        ArrayNode list = JSON.createArrayNode();
        list.add(node);
        node = list;
      } else {
        ObjectNode map = JSON.createObjectNode();
        map.set((String) at.get(i), node);
        node = map;
      }
    }
    return node.toString();
  }

  static List<Place> places() {
    List<Place> out = new ArrayList<>();
    walk(schema, "#", List.of(), out);
    return out;
  }

  private static void walk(JsonNode node, String pointer, List<Object> at, List<Place> out) {
    String p = pointer;
    JsonNode s = node;
    while (s.has("$ref")) {
      p = s.get("$ref").asText();
      assertThat(p).as("only local references").startsWith("#/");
      s = schema.at(p.substring(1));
      assertThat(s.isMissingNode()).as("%s resolves", p).isFalse();
    }
    if (s.has("allOf") && !s.has("properties") && !s.has("type")) {
      for (int i = 0; i < s.get("allOf").size(); i++) {
        walk(s.get("allOf").get(i), p + "/allOf/" + i, at, out);
      }
      return;
    }
    JsonNode properties = s.path("properties");
    JsonNode additional = s.path("additionalProperties");
    if (additional.isBoolean() && !additional.booleanValue()) {
      Set<String> keys = new LinkedHashSet<>();
      properties.fieldNames().forEachRemaining(keys::add);
      out.add(new Place(at, p, keys));
      String here = p;
      properties.fields().forEachRemaining(e -> walk(e.getValue(), here + "/properties/" + e.getKey(),
          append(at, e.getKey()), out));
    } else if (additional.isObject()) {
      JsonNode example = s.path("propertyNames").path("examples").path(0);
      String key = example.isTextual() ? example.asText() : "sample";
      boolean declared = properties.has(key);
      walk(declared ? properties.get(key) : additional, p + (declared ? "/properties/" + key : "/additionalProperties"),
          append(at, key), out);
    }
    if (s.has("items")) {
      walk(s.get("items"), p + "/items", append(at, 0), out);
    }
  }

  private static List<Object> append(List<Object> at, Object next) {
    List<Object> out = new ArrayList<>(at);
    out.add(next);
    return List.copyOf(out);
  }
}
