package dev.vigil.config;

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
    OverloadConfig overload) {

  public VigilConfig {
    policies = Map.copyOf(policies);
    rules = List.copyOf(rules);
    targets = List.copyOf(targets);
    java.util.Objects.requireNonNull(rollback, "rollback");
    java.util.Objects.requireNonNull(controller, "controller");
    java.util.Objects.requireNonNull(overload, "overload");
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
}
