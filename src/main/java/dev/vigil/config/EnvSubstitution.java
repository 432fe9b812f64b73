package dev.vigil.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Environment variables in scalar values: {@code ${VAR}}, {@code ${VAR:-default}} (the default
 * when VAR is unset or empty, as in the shell), defaults that hold references themselves
 * ({@code ${A:-${B:-x}}}, nested at most {@value #MAX_DEPTH} deep), and <code>$${</code> for a
 * literal <code>${</code>. A default is read only when used (an unset variable in an unused
 * default is no error). Substituted values are not scanned again. One pass over the text, so
 * linear in its length. Thread-safe.
 */
final class EnvSubstitution {
  static final int MAX_DEPTH = 8;
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FORMS = "write ${NAME} or ${NAME:-default}, or $${ for a literal '${'";

  private final String text;
  private final Map<String, String> env;
  private int at;
  /** The error that ended the scan (an unterminated or too deeply nested reference), or null. */
  private String fatal;

  private EnvSubstitution(String text, Map<String, String> env) {
    this.text = text;
    this.env = env;
  }

  /**
   * {@code text} with every reference replaced, or null after reporting each problem (an unset
   * variable without default, a malformed reference) to {@code errors}.
   */
  static String apply(String text, Map<String, String> env, Consumer<String> errors) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    EnvSubstitution s = new EnvSubstitution(text, env);
    List<String> found = new ArrayList<>();
    String out = s.sequence(0, found);
    found.forEach(errors);
    if (s.fatal != null) {
      errors.accept(s.fatal);
      return null;
    }
    return found.isEmpty() ? out : null;
  }

  /** Text up to the end, or (inside a default, depth > 0) up to the '}' that closes it, left unread. */
  private String sequence(int depth, List<String> errors) {
    StringBuilder out = new StringBuilder();
    while (at < text.length() && fatal == null) {
      char c = text.charAt(at);
      if (depth > 0 && c == '}') {
        return out.toString();
      }
      if (text.startsWith("$${", at)) {
        out.append("${");
        at += 3;
      } else if (text.startsWith("${", at)) {
        String value = reference(depth, errors);
        if (value != null) {
          out.append(value);
        }
      } else {
        out.append(c);
        at++;
      }
    }
    if (depth > 0 && fatal == null) {
      unterminated();
    }
    return out.toString();
  }

  /** The value of the reference at {@code at} (null when it failed), leaving {@code at} after its '}'. */
  private String reference(int depth, List<String> errors) {
    int start = at;
    int nameEnd = start + 2;
    while (nameEnd < text.length() && text.charAt(nameEnd) != '}' && !text.startsWith(":-", nameEnd)) {
      nameEnd++;
    }
    if (nameEnd >= text.length()) {
      unterminated();
      return null;
    }
    String name = text.substring(start + 2, nameEnd);
    if (!NAME.matcher(name).matches()) {
      int close = text.indexOf('}', nameEnd);
      errors.add("'" + text.substring(start, close < 0 ? text.length() : close + 1)
          + "' is not a variable reference; " + FORMS + " (NAME of letters, digits and '_')");
      at = close < 0 ? text.length() : close + 1;
      return null;
    }
    String value = env.get(name);
    if (text.charAt(nameEnd) == '}') {
      at = nameEnd + 1;
      if (value == null) {
        errors.add("environment variable " + name + " is not set (write ${" + name + ":-default} to give a default)");
      }
      return value;
    }
    if (depth + 1 > MAX_DEPTH) {
      fatal = "references nested more than " + MAX_DEPTH + " deep in a default";
      return null;
    }
    at = nameEnd + 2;
    List<String> defaultErrors = new ArrayList<>();
    String fallback = sequence(depth + 1, defaultErrors);
    if (fatal != null) {
      return null;
    }
    at++;
    if (value != null && !value.isEmpty()) {
      return value;
    }
    errors.addAll(defaultErrors);
    return defaultErrors.isEmpty() ? fallback : null;
  }

  private void unterminated() {
    fatal = "unterminated '${'; " + FORMS;
  }
}
