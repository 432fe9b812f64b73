package dev.vigil.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a configuration's structure against the published JSON Schema ({@code config/vigil.schema.json}, in
 * the jar as {@value #RESOURCE}) without resolving it: no environment variable is looked up and no key file
 * read, so CI can check a file it cannot fully load. The YAML is read as the loader reads it (duplicate keys,
 * aliases and a second document are refused). Each error names its YAML path; no message echoes a value.
 * Thread-safe: the schema is read once.
 */
public final class ConfigSchema {
  /** The schema on the class path. */
  public static final String RESOURCE = "/dev/vigil/config/vigil.schema.json";
  private static final String SUBSTITUTED = "/$defs/substituted/pattern";
  private static final ObjectMapper JACKSON2 = new ObjectMapper();
  private static final JsonMapper JACKSON3 = JsonMapper.builder().build();

  private ConfigSchema() {}

  /** Every structural error in {@code file}; an unreadable file is one error at the document. */
  public static List<ConfigError> check(Path file) {
    try {
      return check(Files.readString(file));
    } catch (IOException e) {
      return List.of(new ConfigError("", ConfigLoader.readProblem(file, e)));
    }
  }

  /** Every structural error in {@code yaml}, empty when it matches the schema. */
  public static List<ConfigError> check(String yaml) {
    LoadContext ctx = new LoadContext(Map.of(), Path.of("").toAbsolutePath());
    com.fasterxml.jackson.databind.JsonNode tree = YamlDocument.read(yaml, ctx);
    if (tree == null) {
      return ctx.errors();
    }
    if (tree.isMissingNode() || tree.isNull()) {
      return List.of(new ConfigError("", "the configuration is empty; it needs at least 'targets'"));
    }
    JsonNode document;
    try {
      document = JACKSON3.readTree(JACKSON2.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a YAML tree that cannot be written as JSON", e);
    }
    List<Error> raw = Holder.SCHEMA.validate(document);
    Set<String> located = new HashSet<>();
    for (Error e : raw) {
      if (!isSubstitutionAlternative(e)) {
        located.add(e.getInstanceLocation().toString());
      }
    }
    List<ConfigError> errors = new ArrayList<>();
    for (Error e : raw) {
      // "${VAR}" is the other branch of each enumerated value; its miss only repeats the enum's error.
      if (isSubstitutionAlternative(e) && located.contains(e.getInstanceLocation().toString())) {
        continue;
      }
      ConfigError error = describe(e);
      if (!errors.contains(error)) {
        errors.add(error);
      }
    }
    return List.copyOf(errors);
  }

  /** The schema itself, as a tree: what the tests walk. */
  static JsonNode schemaTree() {
    return Holder.TREE;
  }

  private static boolean isSubstitutionAlternative(Error e) {
    return e.getSchemaLocation().getFragment().toString().endsWith(SUBSTITUTED);
  }

  private static ConfigError describe(Error e) {
    String path = yamlPath(e.getInstanceLocation());
    List<String> at = segments(e.getSchemaLocation().getFragment());
    List<String> parent = at.subList(0, Math.max(0, at.size() - 1));
    String property = e.getProperty();
    return switch (e.getKeyword()) {
      case "additionalProperties" -> new ConfigError(child(path, property),
          "unknown key; expected one of: " + String.join(", ", Holder.TREE.at(pointer(parent)).path("properties")
              .propertyNames()));
      case "required" -> new ConfigError(child(path, property), "required");
      case "propertyNames" -> new ConfigError(child(path, property), "not a valid name: " + e.getMessage()
          .replaceFirst("^property '.*' name is not valid: ", ""));
      case "pattern" -> new ConfigError(path, "not valid; expected " + decapitalize(description(parent)));
      case "type" -> new ConfigError(path, "not valid (" + e.getMessage() + "); expected "
          + decapitalize(description(parent)));
      case "enum" -> new ConfigError(path, "expected one of: " + String.join(", ",
          Holder.TREE.at(pointer(at)).valueStream().map(JsonNode::asString).toList()));
      case "false" -> new ConfigError(path, "not allowed here: " + decapitalize(propertyDescription(at)));
      default -> new ConfigError(path, e.getMessage());
    };
  }

  /** The description of the schema at {@code location}, or of what it refers to. */
  private static String description(List<String> location) {
    JsonNode node = Holder.TREE.at(pointer(location));
    return node.path("description").asString("a value of the documented form");
  }

  /** For {@code .../then/properties/NAME/false}: the description of NAME in the mapping that declares it. */
  private static String propertyDescription(List<String> location) {
    String name = location.get(location.size() - 2);
    for (int k = location.size() - 3; k >= 0; k--) {
      JsonNode d = Holder.TREE.at(pointer(location.subList(0, k))).path("properties").path(name).path("description");
      if (d.isString()) {
        return d.asString();
      }
    }
    return "this key does not apply with the other values given";
  }

  private static String decapitalize(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static List<String> segments(NodePath path) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < path.getNameCount(); i++) {
      out.add(String.valueOf(path.getElement(i)));
    }
    return out;
  }

  private static String pointer(List<String> segments) {
    StringBuilder sb = new StringBuilder();
    for (String s : segments) {
      sb.append('/').append(s.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  /** {@code /targets/0/keys} as the loader writes it: {@code targets[0].keys}. */
  private static String yamlPath(NodePath location) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(element);
      }
    }
    return sb.toString();
  }

  private static String child(String path, String key) {
    return key == null ? path : path.isEmpty() ? key : path + "." + key;
  }

  /** Reads the schema on first use. */
  private static final class Holder {
    static final JsonNode TREE = readSchema();
    static final Schema SCHEMA =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(TREE);

    private static JsonNode readSchema() {
      try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is not on the class path; the build copies it from"
              + " config/vigil.schema.json");
        }
        return JACKSON3.readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
