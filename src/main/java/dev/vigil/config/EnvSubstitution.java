package dev.vigil.config;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Environment variables in scalar values: {@code ${VAR}}, {@code ${VAR:-default}} (the default
 * when VAR is unset or empty, as in the shell), and <code>$${</code> for a literal <code>${</code>.
 * Substituted text is not scanned again. Thread-safe.
 */
final class EnvSubstitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvSubstitution() {}

  /**
   * {@code text} with every reference replaced, or null after reporting each problem (an unset
   * variable without default, a malformed reference) to {@code errors}.
   */
  static String apply(String text, Map<String, String> env, Consumer<String> errors) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    boolean failed = false;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          errors.accept("unterminated '${'; write ${NAME} or ${NAME:-default}, or $${ for a literal '${'");
          return null;
        }
        String value = lookup(text.substring(i + 2, end), env, errors);
        if (value == null) {
          failed = true;
        } else {
          out.append(value);
        }
        i = end + 1;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return failed ? null : out.toString();
  }

  private static String lookup(String reference, Map<String, String> env, Consumer<String> errors) {
    int sep = reference.indexOf(":-");
    String name = sep < 0 ? reference : reference.substring(0, sep);
    if (!NAME.matcher(name).matches()) {
      errors.accept("'${" + reference + "}' is not a variable reference; write ${NAME} or ${NAME:-default}"
          + " (NAME of letters, digits and '_'), or $${ for a literal '${'");
      return null;
    }
    String value = env.get(name);
    if (sep >= 0 && (value == null || value.isEmpty())) {
      return reference.substring(sep + 2);
    }
    if (value == null) {
      errors.accept("environment variable " + name + " is not set (write ${" + name
          + ":-default} to give a default)");
    }
    return value;
  }
}
