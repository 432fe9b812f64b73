package dev.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A YAML node and its path ({@code targets[0].keys[1].file}). Reads typed scalars, substituting
 * environment variables in string values first; every problem is reported at this path to the
 * {@link LoadContext}, and the reader returns null, so that loading goes on and finds the other
 * errors. Absent means missing or YAML null.
 */
final class Node {
  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,30}");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final int MAX_ECHO = 40;

  private final JsonNode json;
  private final String path;
  private final LoadContext ctx;

  Node(JsonNode json, String path, LoadContext ctx) {
    this.json = json;
    this.path = path;
    this.ctx = ctx;
  }

  String path() {
    return path;
  }

  LoadContext context() {
    return ctx;
  }

  boolean isAbsent() {
    return json.isMissingNode() || json.isNull();
  }

  boolean isMapping() {
    return json.isObject();
  }

  boolean isList() {
    return json.isArray();
  }

  void error(String message) {
    ctx.error(path, message);
  }

  /** Reports a file named here that cannot be read at all ({@link BoundedFiles.Problem}). */
  void unreadableFile(BoundedFiles.Problem problem) {
    ctx.unreadableFile(path, problem.getMessage());
  }

  Node child(String key) {
    return new Node(json.path(key), path.isEmpty() ? key : path + "." + key, ctx);
  }

  /** The entries of a mapping in document order; empty when absent, reported when not a mapping. */
  Map<String, Node> entries(String expected) {
    Map<String, Node> out = new LinkedHashMap<>();
    if (!isAbsent() && !isMapping()) {
      error("expected " + expected + ", got " + describe());
    }
    json.fieldNames().forEachRemaining(name -> out.put(name, child(name)));
    return out;
  }

  /** The items of a list; empty when absent, reported when not a list. */
  List<Node> items(String expected) {
    List<Node> out = new ArrayList<>();
    if (!isAbsent() && !isList()) {
      error("expected " + expected + ", got " + describe());
      return out;
    }
    for (int i = 0; i < json.size(); i++) {
      out.add(new Node(json.get(i), path + "[" + i + "]", ctx));
    }
    return out;
  }

  String string() {
    if (json.isTextual()) {
      return text();
    }
    error("expected a string, got " + describe() + (json.isValueNode() ? "; put it in quotes" : ""));
    return null;
  }

  /**
   * A string that must be literal once substituted (the admin token, key and certificate paths):
   * one still holding <code>${</code> (from a variable's value, or <code>$${</code>) is reported
   * without echoing it.
   */
  String secret() {
    String t = string();
    if (t != null && t.contains("${")) {
      error("still contains '${' after substitution; a secret or key path must resolve to a literal value"
          + " (check the variable's value and the reference's braces)");
      return null;
    }
    return t;
  }

  Integer integer(int min, int max) {
    String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
    String expected = "an integer " + range;
    BigInteger value;
    if (json.isIntegralNumber()) {
      value = json.bigIntegerValue();
    } else if (json.isTextual()) {
      String t = text(INTEGER, expected);
      if (t == null) {
        return null;
      }
      value = new BigInteger(t);
    } else {
      error("expected " + expected + ", got " + describe());
      return null;
    }
    if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      error("must be " + range + ", got " + value);
      return null;
    }
    return value.intValue();
  }

  /** A finite number. */
  Double number() {
    double value;
    if (json.isNumber()) {
      value = json.doubleValue();
    } else if (json.isTextual()) {
      String t = text(DECIMAL, "a number");
      if (t == null) {
        return null;
      }
      value = Double.parseDouble(t);
    } else {
      error("expected a number, got " + describe());
      return null;
    }
    if (!Double.isFinite(value)) {
      error("must be a finite number");
      return null;
    }
    return value;
  }

  Boolean bool() {
    if (json.isBoolean()) {
      return json.booleanValue();
    }
    if (json.isTextual()) {
      String t = text();
      if (t == null) {
        return null;
      }
      if (t.equals("true") || t.equals("false")) {
        return Boolean.valueOf(t);
      }
      error("expected true or false, got " + quote(t));
      return null;
    }
    error("expected true or false, got " + describe());
    return null;
  }

  Duration duration() {
    if (!json.isTextual()) {
      error("expected a duration such as 500ms, 30s or 2m, got " + describe()
          + (json.isNumber() ? "; add a unit" : ""));
      return null;
    }
    String t = text();
    if (t == null) {
      return null;
    }
    try {
      return Durations.parse(t);
    } catch (IllegalArgumentException | ArithmeticException e) {
      error(e.getMessage());
      return null;
    }
  }

  /** An RFC 3339 time with an offset, e.g. {@code 2026-01-01T00:00:00Z}. */
  Instant instant() {
    String t = string();
    if (t == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(t.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      error("expected an RFC 3339 time such as 2026-01-01T00:00:00Z, got " + quote(t));
      return null;
    }
  }

  /** What this node holds, for messages: "a mapping", "the number 3", "'abc'". */
  String describe() {
    if (json.isObject()) {
      return "a mapping";
    }
    if (json.isArray()) {
      return "a list";
    }
    if (isAbsent()) {
      return "nothing";
    }
    if (json.isBoolean()) {
      return "the boolean " + json.asText();
    }
    if (json.isNumber()) {
      return "the number " + json.asText();
    }
    return quote(json.asText());
  }

  static String quote(String text) {
    return "'" + (text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text) + "'";
  }

  private String text() {
    return EnvSubstitution.apply(json.textValue(), ctx.env(), this::error);
  }

  /** The substituted text, stripped, when it matches {@code form}; null after reporting otherwise. */
  private String text(Pattern form, String expected) {
    String t = text();
    if (t == null) {
      return null;
    }
    if (!form.matcher(t.strip()).matches()) {
      error("expected " + expected + ", got " + quote(t));
      return null;
    }
    return t.strip();
  }
}
