package dev.vigil.config;

import dev.vigil.score.Rule;
import dev.vigil.score.RuleKind;
import dev.vigil.score.Severity;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code rules}: a mapping by rule name. A built-in name ({@link Rule#defaults()}) overrides the
 * built-in rule field by field; a new name needs a {@code kind} and starts from the built-in rule
 * of that kind. The result lists the built-in rules in their order, then the new ones.
 */
final class RuleSection {
  private static final Pattern RULE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final List<String> KEYS = List.of("kind", "enabled", "threshold", "window", "consecutive", "severity");
  private static final Set<RuleKind> VERDICT_KINDS = EnumSet.of(RuleKind.HASH_MISMATCH, RuleKind.INTEGRITY);
  private static final Set<RuleKind> SHARE_KINDS =
      EnumSet.of(RuleKind.COMPLIANCE_SCORE, RuleKind.AVAILABILITY, RuleKind.ERROR_RATE);
  private static final String KIND_LABELS =
      Arrays.stream(RuleKind.values()).map(RuleKind::label).collect(Collectors.joining(", "));

  private RuleSection() {}

  static List<Rule> read(Node node) {
    Map<String, Rule> rules = new LinkedHashMap<>();
    for (Rule r : Rule.defaults()) {
      rules.put(r.name(), r);
    }
    node.entries("a mapping of rule name to rule").forEach((name, entry) -> {
      Rule rule = rule(name, entry, rules.get(name));
      if (rule != null) {
        rules.put(name, rule);
      }
    });
    return List.copyOf(rules.values());
  }

  /** The rule, or null when it cannot be built (its errors reported). */
  private static Rule rule(String name, Node node, Rule builtIn) {
    Mapping m = Mapping.of(node, KEYS);
    if (builtIn == null && !RULE_NAME.matcher(name).matches()) {
      node.error("not a rule name; use lowercase letters, digits and '_', starting with a letter");
    }
    RuleKind kind = m.parsed("kind", null, RuleSection::kind);
    if (builtIn != null) {
      m.check("kind", kind == null || kind == builtIn.kind(), "the built-in rule " + name + " is of kind "
          + builtIn.kind().label() + "; give the rule another name to use another kind");
      kind = builtIn.kind();
    } else if (!m.has("kind")) {
      m.check("kind", false, "required for a rule that is not built in; one of: " + KIND_LABELS);
    }
    // Without a kind the rule cannot be built, but its other fields are still read for their errors.
    Rule base = builtIn != null ? builtIn : kind == null ? Rule.defaults().get(0) : builtInOfKind(kind);
    boolean enabled = m.bool("enabled", base.enabled());
    double threshold = m.number("threshold", base.threshold());
    Duration window = m.duration("window", base.window());
    int consecutive = m.integer("consecutive", base.consecutive(), 1, 1000);
    Severity severity = m.parsed("severity", base.severity(), Severity::fromLabel);
    if (kind == null) {
      return null;
    }
    if (SHARE_KINDS.contains(kind)) {
      m.check("threshold", threshold >= 0 && threshold <= 1, "must be from 0 to 1 for a " + kind.label()
          + " rule, got " + threshold);
    } else {
      m.check("threshold", threshold >= 0, "must not be negative, got " + threshold);
    }
    m.check("window", VERDICT_KINDS.contains(kind) || Mapping.positive(window),
        "must be greater than 0 for a " + kind.label() + " rule");
    return m.ok() ? new Rule(name, kind, enabled, threshold, window, consecutive, severity) : null;
  }

  private static RuleKind kind(String label) {
    try {
      return RuleKind.fromLabel(label);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; expected one of: " + KIND_LABELS, e);
    }
  }

  private static Rule builtInOfKind(RuleKind kind) {
    return Rule.defaults().stream().filter(r -> r.kind() == kind).findFirst()
        .orElseThrow(() -> new IllegalStateException("no built-in rule of kind " + kind));
  }
}
