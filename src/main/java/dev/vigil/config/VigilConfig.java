package dev.vigil.config;

import dev.vigil.config.PolicyConfig.Policies;
import dev.vigil.score.Rule;
import java.util.List;
import java.util.Map;

/**
 * The whole monitor configuration, validated once at load ({@link ConfigLoader}). Immutable.
 *
 * @param monitorId this instance's name, used in events ({@code monitor}) and logs
 * @param policies policy per environment name; environments without an entry use {@code defaultPolicy}
 * @param kafka where breach events go; without a broker they are logged
 * @param events the durable outbox and the event signing key
 * @param rollback the rollback controller's settings ({@link RollbackConfig#defaults()} when not configured)
 * @param controller the rollback controller process: trusted monitor keys, consumer group, its HTTP port
 * @param overload the thresholds above which the monitor judges itself overloaded
 * @param rollout progressive migrations run by the rollback controller ({@link RolloutConfig#defaults()} when absent)
 * @param state where the durable target state is kept ({@link StateConfig#disabled()} when built in code)
 * @param group the group of monitors this instance belongs to ({@link GroupConfig#none()}: none)
 * @param evidence the evidence log ({@link EvidenceConfig#disabled()} when built in code)
 * @param tracing OpenTelemetry tracing ({@link TracingConfig#disabled()} when absent: off unless OTEL_* asks)
 */
public record VigilConfig(
    String monitorId,
    ServerConfig server,
    PollingConfig polling,
    ScoringConfig scoring,
    PolicyConfig defaultPolicy,
    Map<String, PolicyConfig> policies,
    List<Rule> rules,
    List<TargetConfig> targets,
    KafkaConfig kafka,
    EventsConfig events,
    RollbackConfig rollback,
    ControllerConfig controller,
    OverloadConfig overload,
    RolloutConfig rollout,
    StateConfig state,
    GroupConfig group,
    EvidenceConfig evidence,
    TracingConfig tracing) {

  public VigilConfig {
    policies = Map.copyOf(policies);
    rules = List.copyOf(rules);
    targets = List.copyOf(targets);
    java.util.Objects.requireNonNull(rollback, "rollback");
    java.util.Objects.requireNonNull(controller, "controller");
    java.util.Objects.requireNonNull(overload, "overload");
    java.util.Objects.requireNonNull(rollout, "rollout");
    java.util.Objects.requireNonNull(state, "state");
    java.util.Objects.requireNonNull(group, "group");
    java.util.Objects.requireNonNull(evidence, "evidence");
    java.util.Objects.requireNonNull(tracing, "tracing");
  }

  /** As the canonical constructor, without tracing. */
  public VigilConfig(String monitorId, ServerConfig server, PollingConfig polling, ScoringConfig scoring,
      PolicyConfig defaultPolicy, Map<String, PolicyConfig> policies, List<Rule> rules, List<TargetConfig> targets,
      KafkaConfig kafka, EventsConfig events, RollbackConfig rollback, ControllerConfig controller,
      OverloadConfig overload, RolloutConfig rollout, StateConfig state, GroupConfig group, EvidenceConfig evidence) {
    this(monitorId, server, polling, scoring, defaultPolicy, policies, rules, targets, kafka, events, rollback,
        controller, overload, rollout, state, group, evidence, TracingConfig.disabled());
  }

  /** As the canonical constructor, without an evidence log. */
  public VigilConfig(String monitorId, ServerConfig server, PollingConfig polling, ScoringConfig scoring,
      PolicyConfig defaultPolicy, Map<String, PolicyConfig> policies, List<Rule> rules, List<TargetConfig> targets,
      KafkaConfig kafka, EventsConfig events, RollbackConfig rollback, ControllerConfig controller,
      OverloadConfig overload, RolloutConfig rollout, StateConfig state, GroupConfig group) {
    this(monitorId, server, polling, scoring, defaultPolicy, policies, rules, targets, kafka, events, rollback,
        controller, overload, rollout, state, group, EvidenceConfig.disabled());
  }

  /** This configuration with {@code evidence} instead of its own. */
  public VigilConfig withEvidence(EvidenceConfig evidence) {
    return new VigilConfig(monitorId, server, polling, scoring, defaultPolicy, policies, rules, targets, kafka, events,
        rollback, controller, overload, rollout, state, group, evidence, tracing);
  }

  /** As the canonical constructor, without a group. */
  public VigilConfig(String monitorId, ServerConfig server, PollingConfig polling, ScoringConfig scoring,
      PolicyConfig defaultPolicy, Map<String, PolicyConfig> policies, List<Rule> rules, List<TargetConfig> targets,
      KafkaConfig kafka, EventsConfig events, RollbackConfig rollback, ControllerConfig controller,
      OverloadConfig overload, RolloutConfig rollout, StateConfig state) {
    this(monitorId, server, polling, scoring, defaultPolicy, policies, rules, targets, kafka, events, rollback,
        controller, overload, rollout, state, GroupConfig.none());
  }

  /** As the canonical constructor, with the default rollout settings and without durable state. */
  public VigilConfig(String monitorId, ServerConfig server, PollingConfig polling, ScoringConfig scoring,
      PolicyConfig defaultPolicy, Map<String, PolicyConfig> policies, List<Rule> rules, List<TargetConfig> targets,
      KafkaConfig kafka, EventsConfig events, RollbackConfig rollback, ControllerConfig controller,
      OverloadConfig overload) {
    this(monitorId, server, polling, scoring, defaultPolicy, policies, rules, targets, kafka, events, rollback,
        controller, overload, RolloutConfig.defaults(), StateConfig.disabled());
  }

  /** As the canonical constructor, with the default overload thresholds. */
  public VigilConfig(String monitorId, ServerConfig server, PollingConfig polling, ScoringConfig scoring,
      PolicyConfig defaultPolicy, Map<String, PolicyConfig> policies, List<Rule> rules, List<TargetConfig> targets,
      KafkaConfig kafka, EventsConfig events, RollbackConfig rollback, ControllerConfig controller) {
    this(monitorId, server, polling, scoring, defaultPolicy, policies, rules, targets, kafka, events, rollback,
        controller, OverloadConfig.defaults());
  }

  /** The policy that applies to {@code environment}. */
  public PolicyConfig policyFor(String environment) {
    return policies.getOrDefault(environment, defaultPolicy);
  }

  static final String DEFAULT_MONITOR_ID = "monitor-0";
  private static final List<String> KEYS =
      List.of("monitorId", "server", "polling", "scoring", "policies", "rules", "targets", "kafka", "events",
          "rollback", "controller", "overload", "rollout", "state", "group", "evidence", "tracing");

  /**
   * The top level of the document: every section, read in an order that lets targets see polling and policies.
   * Returns the configuration, meaningful only when no error was reported; null when the document is
   * no mapping.
   */
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
    ScoringConfig scoring = ScoringConfig.read(m.node("scoring"));
    Policies policies = PolicyConfig.read(m.node("policies"));
    List<Rule> rules = RuleSection.read(m.node("rules"));
    List<TargetConfig> targets = TargetConfig.read(m.node("targets"), polling, policies);
    KafkaConfig kafka = KafkaConfig.read(m.node("kafka"), monitorId);
    EventsConfig events = EventsConfig.read(m.node("events"), kafka);
    RollbackConfig rollback = RollbackConfig.read(m.node("rollback"));
    ControllerConfig controller = ControllerConfig.read(m.node("controller"));
    OverloadConfig overload = OverloadConfig.read(m.node("overload"));
    RolloutConfig rollout = RolloutConfig.read(m.node("rollout"));
    StateConfig state = StateConfig.read(m.node("state"));
    GroupConfig group = GroupConfig.read(m.node("group"), kafka);
    EvidenceConfig evidence = EvidenceConfig.read(m.node("evidence"));
    TracingConfig tracing = TracingConfig.read(m.node("tracing"));
    VigilConfig config = new VigilConfig(monitorId, server, polling, scoring, policies.defaultPolicy(),
        policies.byEnvironment(), rules, targets, kafka, events, rollback, controller, overload, rollout, state, group, evidence, tracing);
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
}
