package dev.vigil.config;

import dev.vigil.score.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

  static final String DEFAULT_ACTUATOR = "default";
  private static final List<String> KEYS = List.of("rules", "severities", "cooldown", "blastRadius", "dryRun",
      "validation", "executionTimeout", "dedupDir", "dedupRetention", "maxEventAge", "maxClockSkew", "from", "to",
      "critical", "dependants", "actuators");
  private static final List<String> ACTUATOR_KEYS =
      List.of("type", "url", "namespace", "name", "host", "selectorKey", "timeout");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final String TYPES =
      Arrays.stream(ActuatorConfig.Type.values()).map(ActuatorConfig.Type::label).collect(Collectors.joining(", "));

  /**
   * {@code rollback}: the rollback controller's guards, validation, de-duplication store and
   * actuators. Absent means {@link RollbackConfig#defaults()}.
   *
   * <pre>
   * rollback:
   *   rules: [hash_mismatch, integrity]      # absent: any rule
   *   severities: [critical]
   *   cooldown: 10m
   *   blastRadius: {max: 3, window: 10m}
   *   dryRun: false
   *   validation: {consecutive: 2, timeout: 60s, interval: 1s}
   *   executionTimeout: 120s
   *   dedupDir: /var/lib/vigil/rollback
   *   dedupRetention: 168h
   *   maxEventAge: 10m                       # older breach events: skipped, stale_event
   *   maxClockSkew: 1m                       # breach events dated further ahead: skipped, stale_event
   *   critical: [auth-service, ...]          # absent: the reference fleet's four
   *   dependants: {auth-service: [policy-governance-service]}
   *   actuators:
   *     default: {type: simulator, url: http://127.0.0.1:8099}
   *     integrity-service: {type: istio, namespace: acgs, name: acgs-routes, host: integrity-service}
   *     auth-service: {type: service, namespace: acgs, selectorKey: environment}
   *     policy-governance-service: {type: webhook, url: https://deploy.example/rollback, timeout: 10s}
   * </pre>
   */
  static RollbackConfig read(Node node) {
    RollbackConfig d = RollbackConfig.defaults();
    Mapping m = Mapping.of(node, KEYS);
    Set<String> rules = names(m, "rules", d.rules(), "rule names");
    Set<Severity> severities = d.severities();
    if (m.has("severities")) {
      Set<Severity> given = new LinkedHashSet<>();
      for (Node item : m.node("severities").items("a list of severities")) {
        String s = item.string();
        if (s != null) {
          try {
            given.add(Severity.fromLabel(s.strip()));
          } catch (IllegalArgumentException e) {
            item.error(e.getMessage());
          }
        }
      }
      if (m.node("severities").isList() && m.node("severities").items("").isEmpty()) {
        m.check("severities", false, "must name at least one severity; to never move traffic set dryRun: true");
      }
      severities = given.isEmpty() ? severities : given;
    }
    Duration cooldown = m.duration("cooldown", d.cooldown());
    Mapping blast = Mapping.of(m.node("blastRadius"), List.of("max", "window"));
    int blastMax = blast.integer("max", d.blastRadiusMax(), 1, 100_000);
    Duration blastWindow = blast.duration("window", d.blastRadiusWindow());
    blast.check("window", Mapping.positive(blastWindow), "must be greater than 0");
    boolean dryRun = m.bool("dryRun", d.dryRun());
    Mapping validation = Mapping.of(m.node("validation"), List.of("consecutive", "timeout", "interval"));
    int consecutive = validation.integer("consecutive", d.validationConsecutive(), 1, 100);
    Duration validationTimeout = validation.duration("timeout", d.validationTimeout());
    validation.check("timeout", Mapping.positive(validationTimeout), "must be greater than 0");
    Duration interval = validation.duration("interval", d.validationInterval());
    validation.check("interval", Mapping.positive(interval), "must be greater than 0");
    Duration execution = m.duration("executionTimeout", d.executionTimeout());
    m.check("executionTimeout", Mapping.positive(execution), "must be greater than 0");
    if (m.ok("executionTimeout") && validation.ok("timeout")) {
      m.check("executionTimeout", execution.compareTo(validationTimeout) > 0, "must be greater than the validation"
          + " timeout (" + Durations.format(validationTimeout) + "), got " + Durations.format(execution));
    }
    String dir = m.string("dedupDir", null);
    Path dedupDir = dir == null ? d.dedupDir() : m.node("dedupDir").context().resolve(dir.strip());
    Duration retention = m.duration("dedupRetention", d.dedupRetention());
    m.check("dedupRetention", Mapping.positive(retention), "must be greater than 0");
    Duration maxEventAge = m.duration("maxEventAge", d.maxEventAge());
    m.check("maxEventAge", Mapping.positive(maxEventAge), "must be greater than 0");
    if (m.ok("maxEventAge", "dedupRetention")) {
      m.check("maxEventAge", maxEventAge.compareTo(retention) < 0, "must be less than dedupRetention ("
          + Durations.format(retention) + "), or a replay older than the retention would roll back again; got "
          + Durations.format(maxEventAge));
    }
    Duration maxClockSkew = m.duration("maxClockSkew", d.maxClockSkew());
    String from = m.string("from", d.from());
    String to = m.string("to", d.to());
    m.check("from", NAME.matcher(from).matches(), "not an environment name");
    m.check("to", NAME.matcher(to).matches(), "not an environment name");
    if (m.ok("from", "to")) {
      m.check("to", !from.equals(to), "must differ from 'from' (" + from + ")");
    }
    Set<String> critical = names(m, "critical", d.critical(), "service names");
    Map<String, List<String>> dependants = new LinkedHashMap<>();
    m.node("dependants").entries("a mapping of service name to a list of services").forEach((service, list) -> {
      if (!NAME.matcher(service).matches()) {
        list.error("not a service name");
      }
      List<String> names = new ArrayList<>();
      for (Node item : list.items("a list of service names")) {
        String s = item.string();
        if (s != null && NAME.matcher(s.strip()).matches()) {
          names.add(s.strip());
        } else if (s != null) {
          item.error("not a service name: " + Node.quote(s));
        }
      }
      dependants.put(service, List.copyOf(names));
    });
    ActuatorConfig defaultActuator = null;
    Map<String, ActuatorConfig> actuators = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : m.node("actuators").entries("a mapping of service name (or default) to an actuator").entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        e.getValue().error("not a service name");
      }
      ActuatorConfig a = actuator(e.getValue());
      if (a == null) {
        continue;
      }
      if (e.getKey().equals(DEFAULT_ACTUATOR)) {
        defaultActuator = a;
      } else {
        actuators.put(e.getKey(), a);
      }
    }
    return new RollbackConfig(rules, severities, cooldown, blastMax, blastWindow, dryRun, consecutive,
        validationTimeout, interval, execution, dedupDir, retention, from, to, critical, dependants, defaultActuator,
        actuators, maxEventAge, maxClockSkew);
  }

  /** A list of names at {@code key}; {@code def} when absent; an empty list is an error. */
  private static Set<String> names(Mapping m, String key, Set<String> def, String what) {
    if (!m.has(key)) {
      return def;
    }
    Node list = m.node(key);
    Set<String> out = new LinkedHashSet<>();
    List<Node> items = list.items("a list of " + what);
    for (Node item : items) {
      String s = item.string();
      if (s != null && NAME.matcher(s.strip()).matches()) {
        out.add(s.strip());
      } else if (s != null) {
        item.error("not a name: " + Node.quote(s));
      }
    }
    if (list.isList() && items.isEmpty()) {
      m.check(key, false, "must name at least one; leave '" + key + "' out for the default");
    }
    return out.isEmpty() ? def : out;
  }

  /** One actuator, or null when unusable (its errors reported). */
  private static ActuatorConfig actuator(Node node) {
    Mapping m = Mapping.of(node, ACTUATOR_KEYS);
    if (!node.isMapping()) {
      return null;
    }
    ActuatorConfig.Type type = m.require("type") ? m.parsed("type", null, RollbackConfig::type) : null;
    URI url = m.parsed("url", null, RollbackConfig::url);
    String namespace = m.string("namespace", null);
    String name = m.string("name", null);
    String host = m.string("host", null);
    String selectorKey = m.string("selectorKey", "environment");
    Duration timeout = m.duration("timeout", DEFAULT_REQUEST_TIMEOUT);
    m.check("timeout", Mapping.positive(timeout), "must be greater than 0");
    if (type == null) {
      return null;
    }
    boolean kubernetes = type == ActuatorConfig.Type.ISTIO || type == ActuatorConfig.Type.SERVICE;
    if (kubernetes) {
      if (m.require("namespace")) {
        m.check("namespace", namespace == null || K8S_NAME.matcher(namespace).matches(), "not a Kubernetes namespace name");
      }
      m.check("url", !m.has("url"), "applies only to the simulator and webhook actuators, not to " + type.label());
      m.check("timeout", !m.has("timeout"), "applies only to the simulator and webhook actuators, not to " + type.label());
    } else {
      m.require("url");
      for (String k : List.of("namespace", "name", "host", "selectorKey")) {
        m.check(k, !m.has(k), "applies only to the istio and service actuators, not to " + type.label());
      }
    }
    if (type == ActuatorConfig.Type.ISTIO) {
      if (m.require("name")) {
        m.check("name", name == null || K8S_NAME.matcher(name).matches(), "not a Kubernetes object name");
      }
    } else if (type == ActuatorConfig.Type.SERVICE) {
      m.check("host", !m.has("host"), "applies only to the istio actuator");
    }
    if (type != ActuatorConfig.Type.SERVICE && m.has("selectorKey")) {
      m.check("selectorKey", false, "applies only to the service actuator");
    }
    if (!m.ok()) {
      return null;
    }
    return switch (type) {
      case SIMULATOR -> new ActuatorConfig.Simulator(url, timeout);
      case WEBHOOK -> new ActuatorConfig.Webhook(url, timeout);
      case ISTIO -> new ActuatorConfig.Istio(namespace, name, host);
      case SERVICE -> new ActuatorConfig.Service(namespace, name, selectorKey);
    };
  }

  private static ActuatorConfig.Type type(String label) {
    try {
      return ActuatorConfig.Type.valueOf(label.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown actuator type " + Node.quote(label) + "; expected one of: " + TYPES, e);
    }
  }

  static URI url(String text) {
    try {
      URI u = new URI(text.strip());
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("expected an http or https URL, got " + Node.quote(text));
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + Node.quote(text), e);
    }
  }
}
