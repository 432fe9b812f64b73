package dev.vigil.config;

import dev.vigil.score.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rollback controller's settings ({@code rollback} in the YAML). Immutable. Every field has a
 * default, so a configuration without a {@code rollback} section is valid ({@link #defaults()}).
 *
 * @param rules names of the breach rules that roll back; empty means any rule
 * @param severities severities that roll back (default: critical)
 * @param cooldown after a rollback of a service, further breaches of it within this time are skipped
 * @param blastRadiusMax most services rolled back within {@code blastRadiusWindow}; beyond, skipped
 * @param dryRun decide and report, never move traffic
 * @param validationConsecutive compliant blue attestations in a row that validate a rollback
 * @param validationTimeout how long blue may take to validate after the switch
 * @param validationInterval pause between two validation polls of blue
 * @param executionTimeout bound of one whole rollback, switch and validation
 * @param dedupDir directory of the de-duplication store
 * @param dedupRetention age after which de-duplication entries are compacted away
 * @param from the environment traffic is moved away from (green)
 * @param to the environment traffic is moved to (blue)
 * @param critical services whose rollback logs a warning naming their dependants
 * @param dependants per service, the services that depend on it
 * @param defaultActuator the actuator of services without their own entry, or null for none
 * @param actuators per service, its actuator
 * @param maxEventAge breach events older than this are skipped as {@code stale_event} (a replay, a
 *     backlog after an outage); less than {@code dedupRetention}, so a replay is always caught by one
 * @param maxClockSkew breach events dated further than this in the future are skipped as {@code stale_event}
 */
public record RollbackConfig(
    Set<String> rules,
    Set<Severity> severities,
    Duration cooldown,
    int blastRadiusMax,
    Duration blastRadiusWindow,
    boolean dryRun,
    int validationConsecutive,
    Duration validationTimeout,
    Duration validationInterval,
    Duration executionTimeout,
    Path dedupDir,
    Duration dedupRetention,
    String from,
    String to,
    Set<String> critical,
    Map<String, List<String>> dependants,
    ActuatorConfig defaultActuator,
    Map<String, ActuatorConfig> actuators,
    Duration maxEventAge,
    Duration maxClockSkew) {

  /** The critical services of the reference fleet (design.md). */
  public static final Set<String> REFERENCE_CRITICAL = Set.of("auth-service", "constitutional-ai-service",
      "integrity-service", "policy-governance-service");

  public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofMinutes(10);
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(1);

  public RollbackConfig {
    rules = Set.copyOf(rules);
    severities = Set.copyOf(severities);
    critical = Set.copyOf(critical);
    dependants = Map.copyOf(dependants);
    actuators = Map.copyOf(actuators);
  }

  public static RollbackConfig defaults() {
    return new RollbackConfig(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 3, Duration.ofMinutes(10),
        false, 2, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(120), Path.of("vigil-rollback"),
        Duration.ofDays(7), "green", "blue", REFERENCE_CRITICAL, Map.of(), null, Map.of(), DEFAULT_MAX_EVENT_AGE,
        DEFAULT_MAX_CLOCK_SKEW);
  }

  /** The actuator settings of {@code service}: its own, else the default, else null. */
  public ActuatorConfig actuatorFor(String service) {
    return actuators.getOrDefault(service, defaultActuator);
  }

  /** The services that depend on {@code service}. */
  public List<String> dependantsOf(String service) {
    return dependants.getOrDefault(service, List.of());
  }
}
