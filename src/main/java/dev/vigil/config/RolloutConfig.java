package dev.vigil.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Progressive migrations run by the rollback controller ({@code rollout} in the YAML; design.md,
 * "Progressive migration"). Every field has a default ({@link #defaults()}). Immutable.
 *
 * @param steps the {@code to} side's weight at each step, strictly increasing, ending at 100
 * @param stepInterval dwell time at each step before the next
 * @param analysisInterval time between two analyses during a dwell
 * @param attestations compliant attestations in a row of the {@code to} side one analysis needs
 * @param slo whether the signed SLO report of the {@code to} side must be within the fleet's rules
 * @param prometheus PromQL checks, or null for none
 * @param failureLimit failed analyses in a row that abort the rollout
 * @param manualGates step weights that wait for an operator's {@code promote} before they are applied
 * @param order the migration plan: services in the order a whole-plan rollout runs them
 * @param from the environment traffic moves away from (blue)
 * @param to the environment traffic moves to (green)
 * @param topic the Kafka topic of {@code rollout.step} and {@code rollout.finished} (events-v1)
 */
public record RolloutConfig(List<Integer> steps, Duration stepInterval, Duration analysisInterval, int attestations,
    boolean slo, Prometheus prometheus, int failureLimit, Set<Integer> manualGates, List<String> order, String from,
    String to, String topic) {

  public static final String DEFAULT_TOPIC = "constitutional.rollouts";

  /** The seed's migration order (design.md). */
  public static final List<String> SEED_ORDER = List.of("auth-service", "constitutional-ai-service",
      "integrity-service", "formal-verification-service", "governance-synthesis-service", "policy-governance-service",
      "executive-council-service");

  public RolloutConfig {
    steps = List.copyOf(steps);
    manualGates = Set.copyOf(manualGates);
    order = List.copyOf(order);
  }

  public static RolloutConfig defaults() {
    return new RolloutConfig(List.of(10, 50, 90, 100), Duration.ofSeconds(60), Duration.ofSeconds(15), 3, true, null,
        2, Set.of(), SEED_ORDER, "blue", "green", DEFAULT_TOPIC);
  }

  /**
   * The PromQL checks against a Prometheus HTTP API. Immutable.
   *
   * @param bearerToken sent as {@code Authorization: Bearer}, or null
   * @param tls CA bundle and client certificate for an https URL, or null for the JVM's defaults
   * @param inconclusiveLimit analyses in a row with a query that returned no data before that counts as a failure
   */
  public record Prometheus(URI url, String bearerToken, TlsConfig tls, Duration timeout, int inconclusiveLimit,
      List<Query> queries) {
    public Prometheus {
      queries = List.copyOf(queries);
    }

    @Override
    public String toString() {
      return "Prometheus[url=" + url + ", bearerToken=" + (bearerToken == null ? "none" : "***") + ", queries="
          + queries + "]";
    }
  }

  /**
   * One PromQL check: {@code query} (with {@code {{service}}} and {@code {{environment}}}
   * placeholders) must return a value within [min, max] (a null bound is open).
   */
  public record Query(String name, String query, Double min, Double max) {
    /** The query for one service and environment. */
    public String expand(String service, String environment) {
      return query.replace("{{service}}", service).replace("{{environment}}", environment);
    }
  }

  private static final List<String> KEYS = List.of("steps", "stepInterval", "analysisInterval", "analysis",
      "failureLimit", "manualGates", "order", "direction", "topic");
  private static final List<String> ANALYSIS_KEYS = List.of("attestations", "slo", "prometheus");
  private static final List<String> PROMETHEUS_KEYS =
      List.of("url", "bearerToken", "tls", "timeout", "inconclusiveLimit", "queries");
  private static final List<String> QUERY_KEYS = List.of("name", "query", "min", "max");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern CHECK_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /**
   * {@code rollout}: steps, dwell, analysis and the migration plan. Absent means {@link #defaults()}.
   *
   * <pre>
   * rollout:
   *   steps: [10, 50, 90, 100]          # the to side's weight; strictly increasing, ending at 100
   *   stepInterval: 60s                 # dwell per step
   *   analysisInterval: 15s             # analyses during a dwell
   *   failureLimit: 2                   # failed analyses in a row that abort
   *   manualGates: [90]                 # steps that wait for `vigil rollout promote`
   *   order: [auth-service, ...]        # the plan of `vigil rollout start --all`
   *   direction: {from: blue, to: green}
   *   topic: constitutional.rollouts    # rollout.step and rollout.finished
   *   analysis:
   *     attestations: {count: 3}
   *     slo: {enabled: true}
   *     prometheus:
   *       url: http://prometheus:9090
   *       bearerToken: ${PROM_TOKEN}
   *       tls: {caFile: ca.pem}
   *       timeout: 10s
   *       inconclusiveLimit: 2
   *       queries:
   *         - {name: latency_p95, query: 'histogram_quantile(0.95, ...{service="{{service}}"}...)', max: 2}
   * </pre>
   */
  static RolloutConfig read(Node node) {
    RolloutConfig d = defaults();
    if (node.isAbsent()) {
      return d;
    }
    Mapping m = Mapping.of(node, KEYS);
    List<Integer> steps = steps(m, d.steps());
    Duration stepInterval = m.duration("stepInterval", d.stepInterval());
    m.check("stepInterval", Mapping.positive(stepInterval), "must be greater than 0");
    Duration analysisInterval = m.duration("analysisInterval", d.analysisInterval());
    m.check("analysisInterval", Mapping.positive(analysisInterval), "must be greater than 0");
    int failureLimit = m.integer("failureLimit", d.failureLimit(), 1, 100);
    Set<Integer> gates = new LinkedHashSet<>();
    for (Node item : m.node("manualGates").items("a list of step weights")) {
      Integer w = item.integer(1, 100);
      if (w != null && !steps.contains(w)) {
        item.error("not one of the steps " + steps + ": a manual gate names the step weight that waits");
      } else if (w != null) {
        gates.add(w);
      }
    }
    List<String> order = order(m, d.order());
    Mapping dir = Mapping.of(m.node("direction"), List.of("from", "to"));
    String from = dir.string("from", d.from());
    String to = dir.string("to", d.to());
    dir.check("from", NAME.matcher(from).matches(), "not an environment name");
    dir.check("to", NAME.matcher(to).matches(), "not an environment name");
    if (dir.ok("from", "to")) {
      dir.check("to", !from.equals(to), "must differ from 'from' (" + from + ")");
    }
    String topic = m.string("topic", d.topic());
    m.check("topic", topic.matches("[A-Za-z0-9._-]{1,249}") && !topic.matches("\\.{1,2}"), "not a Kafka topic name");
    Mapping analysis = Mapping.of(m.node("analysis"), ANALYSIS_KEYS);
    int attestations = Mapping.of(analysis.node("attestations"), List.of("count"))
        .integer("count", d.attestations(), 1, 100);
    boolean slo = Mapping.of(analysis.node("slo"), List.of("enabled")).bool("enabled", d.slo());
    Prometheus prometheus = prometheus(analysis.node("prometheus"));
    return new RolloutConfig(steps, stepInterval, analysisInterval, attestations, slo, prometheus, failureLimit, gates,
        order, from, to, topic);
  }

  private static List<Integer> steps(Mapping m, List<Integer> def) {
    if (!m.has("steps")) {
      return def;
    }
    List<Node> items = m.node("steps").items("a list of weights (percent of traffic on the to side)");
    List<Integer> steps = new ArrayList<>();
    for (Node item : items) {
      Integer w = item.integer(1, 100);
      if (w == null) {
        return def;
      }
      if (!steps.isEmpty() && w <= steps.get(steps.size() - 1)) {
        item.error("steps must be strictly increasing: " + w + " follows " + steps.get(steps.size() - 1));
        return def;
      }
      steps.add(w);
    }
    if (!m.node("steps").isList()) {
      return def;
    }
    m.check("steps", !steps.isEmpty() && steps.get(steps.size() - 1) == 100, "must end at 100 (all traffic on the"
        + " to side), got " + steps + "; a plan that stops short would never promote");
    return steps.isEmpty() || steps.get(steps.size() - 1) != 100 ? def : steps;
  }

  private static List<String> order(Mapping m, List<String> def) {
    if (!m.has("order")) {
      return def;
    }
    List<Node> items = m.node("order").items("a list of service names");
    Set<String> out = new LinkedHashSet<>();
    for (Node item : items) {
      String s = item.string();
      if (s != null && !NAME.matcher(s.strip()).matches()) {
        item.error("not a service name: " + Node.quote(s));
      } else if (s != null && !out.add(s.strip())) {
        item.error("named twice: " + Node.quote(s.strip()));
      }
    }
    m.check("order", !m.node("order").isList() || !items.isEmpty(), "must name at least one service");
    return out.isEmpty() ? def : List.copyOf(out);
  }

  private static Prometheus prometheus(Node node) {
    if (node.isAbsent()) {
      return null;
    }
    Mapping m = Mapping.of(node, PROMETHEUS_KEYS);
    URI url = m.require("url") ? m.parsed("url", null, RollbackConfig::url) : null;
    String token = m.secret("bearerToken", null);
    TlsConfig tls = TlsConfig.read(m.node("tls"));
    Duration timeout = m.duration("timeout", Duration.ofSeconds(10));
    m.check("timeout", Mapping.positive(timeout), "must be greater than 0");
    int inconclusiveLimit = m.integer("inconclusiveLimit", 2, 1, 100);
    List<Query> queries = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    if (m.require("queries")) {
      List<Node> items = m.node("queries").items("a list of queries {name, query, min, max}");
      m.check("queries", !m.node("queries").isList() || !items.isEmpty(), "must hold at least one query");
      for (Node item : items) {
        Query q = query(item, names);
        if (q != null) {
          queries.add(q);
        }
      }
    }
    if (tls != null && url != null) {
      m.check("tls", "https".equals(url.getScheme()), "applies only to an https url");
    }
    return url == null ? null : new Prometheus(url, token, tls, timeout, inconclusiveLimit, queries);
  }

  private static Query query(Node node, Set<String> names) {
    Mapping m = Mapping.of(node, QUERY_KEYS);
    if (!node.isMapping()) {
      return null;
    }
    String name = m.required("name");
    m.check("name", name == null || CHECK_NAME.matcher(name).matches(),
        "use lowercase letters, digits and '_', starting with a letter (it is a metric label)");
    m.check("name", name == null || names.add(name), "named twice");
    String query = m.required("query");
    m.check("query", query == null || !query.isBlank(), "must not be empty");
    Double min = m.has("min") ? m.number("min", 0) : null;
    Double max = m.has("max") ? m.number("max", 0) : null;
    m.check("max", min != null || max != null, "give min, max or both: a query without bounds checks nothing");
    if (min != null && max != null) {
      m.check("max", max >= min, "must be at least min (" + min + "), got " + max);
    }
    return m.ok() ? new Query(name, query, min, max) : null;
  }

  /**
   * What the rollout section needs from the rest of {@code config}, each at its YAML path: its
   * direction must be the rollback's reversed (a rollout moves traffic to where a rollback moves it
   * away from, through the same actuators).
   */
  public static List<ConfigError> requirements(VigilConfig config) {
    RolloutConfig r = config.rollout();
    RollbackConfig b = config.rollback();
    if (r.from().equals(b.to()) && r.to().equals(b.from())) {
      return List.of();
    }
    return List.of(new ConfigError("rollout.direction", "must be the rollback's direction reversed (from: " + b.to()
        + ", to: " + b.from() + "), got from: " + r.from() + ", to: " + r.to()));
  }
}
