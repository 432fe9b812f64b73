package dev.vigil.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The operations files of the checkout (alert rules, dashboards, deploy/), read as trees. */
final class OpsFiles {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  /** Maven runs tests in the project directory. */
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final Path RULES = ROOT.resolve("alert-rules/vigil.rules.yml");
  static final Path RULE_TESTS = ROOT.resolve("alert-rules/vigil.rules.test.yml");
  static final Path DASHBOARDS = ROOT.resolve("grafana-dashboards");
  static final Path RUNBOOKS = ROOT.resolve("docs/runbooks.md");

  private OpsFiles() {}

  static JsonNode yaml(Path p) {
    try {
      return YAML.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(Path p) {
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every alerting rule of the shipped rule file, in file order. */
  static List<JsonNode> alertRules() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode g : yaml(RULES).get("groups")) {
      for (JsonNode r : g.get("rules")) {
        if (r.has("alert")) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Every recording rule of the shipped rule file, in file order. */
  static List<JsonNode> recordingRules() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode g : yaml(RULES).get("groups")) {
      for (JsonNode r : g.get("rules")) {
        if (r.has("record")) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** The dashboard JSON files (not the provisioning files). */
  static List<Path> dashboards() {
    try (Stream<Path> s = Files.list(DASHBOARDS)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel of a dashboard, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      if (p.has("targets")) {
        out.add(p);
      }
      for (JsonNode nested : p.path("panels")) {
        out.add(nested);
      }
    }
    return out;
  }
}
