package dev.vigil.config;

import dev.vigil.config.PolicyConfig.Policies;
import dev.vigil.score.Rule;
import java.time.Duration;
import java.util.List;

/** The top level of the document: every section, read in an order that lets targets see polling and policies. */
final class RootSection {
  static final String DEFAULT_MONITOR_ID = "monitor-0";
  private static final List<String> KEYS =
      List.of("monitorId", "server", "polling", "scoring", "policies", "rules", "targets", "kafka", "events",
          "rollback", "controller", "overload");

  private RootSection() {}

  /** The configuration; meaningful only when no error was reported. Null when the document is no mapping. */
  static VigilConfig read(Node root) {
    if (root.isAbsent()) {
      root.error("the configuration is empty; it needs at least 'targets'");
      return null;
    }
    if (!root.isMapping()) {
      root.error("expected a mapping at the top level with keys " + String.join(", ", KEYS) + "; got "
          + root.describe());
      return null;
    }
    Mapping m = Mapping.of(root, KEYS);
    String monitorId = m.string("monitorId", DEFAULT_MONITOR_ID);
    m.check("monitorId", monitorId.matches("[A-Za-z0-9][A-Za-z0-9._-]*"),
        "use letters, digits, '.', '_' and '-', starting with a letter or digit");
    ServerConfig server = ServerConfig.read(m.node("server"));
    PollingConfig polling = PollingConfig.read(m.node("polling"));
    ScoringConfig scoring = scoring(m.node("scoring"));
    Policies policies = PolicyConfig.read(m.node("policies"));
    List<Rule> rules = RuleSection.read(m.node("rules"));
    List<TargetConfig> targets = TargetConfig.read(m.node("targets"), polling, policies);
    KafkaConfig kafka = KafkaConfig.read(m.node("kafka"), monitorId);
    EventsConfig events = EventsConfig.read(m.node("events"), kafka);
    RollbackConfig rollback = RollbackSection.read(m.node("rollback"));
    ControllerConfig controller = ControllerConfig.read(m.node("controller"));
    OverloadConfig overload = OverloadConfig.read(m.node("overload"));
    VigilConfig config = new VigilConfig(monitorId, server, polling, scoring, policies.defaultPolicy(),
        policies.byEnvironment(), rules, targets, kafka, events, rollback, controller, overload);
    if (m.has("controller")) {
      LoadContext ctx = root.context();
      for (ConfigError e : ControllerConfig.requirements(config)) {
        if (!ctx.reportedNear(e.path())) {
          ctx.error(e.path(), e.message());
        }
      }
    }
    return config;
  }

  private static ScoringConfig scoring(Node node) {
    Mapping m = Mapping.of(node, List.of("window"));
    Duration window = m.duration("window", ScoringConfig.defaults().window());
    m.check("window", Mapping.positive(window), "must be greater than 0");
    return new ScoringConfig(window);
  }
}
