package dev.vigil.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real simulator and a real monitor on loopback (ports 0), configured through a YAML file that
 * tests may rewrite and reload. Events are captured by a recording sink. Public for the operations
 * tests of dev.vigil.ops (real Prometheus and Alertmanager against it).
 */
public final class FleetHarness {
  static final String TOKEN = "test-admin-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  final Vertx vertx;
  /** The simulator's own Vert.x when it is not the monitor's ({@link #startGenerated}), else null. */
  private Vertx simVertx;
  public final FleetSimulator sim;
  final Path dir;
  final Path configFile;
  public final List<BreachTransition> events = new CopyOnWriteArrayList<>();
  final MonitorMetrics metrics = new MonitorMetrics();
  final MonitorVerticle verticle;
  final HttpClient http = HttpClient.newHttpClient();

  private FleetHarness(Vertx vertx, FleetSimulator sim, Path dir, Path configFile, VigilConfig config) throws Exception {
    this.vertx = vertx;
    this.sim = sim;
    this.dir = dir;
    this.configFile = configFile;
    EventSink sink = events::add;
    ConfigSource source = () -> {
      ConfigResult r = ConfigLoader.load(configFile, Map.of());
      return new ConfigSource.Loaded(r.isValid() ? r.orElseThrow() : null, r.errors().stream().map(Object::toString).toList());
    };
    this.verticle = MonitorBuilder.of(config).configSource(source).events(sink).metrics(metrics).build();
    TestVertx.await(vertx.deployVerticle(verticle));
  }

  /** Starts {@code services} (green only unless {@code environments} says otherwise) and a monitor over them. */
  public static FleetHarness start(List<String> services, List<String> environments, Path dir) throws Exception {
    return start(services, environments, dir, "");
  }

  /** As {@link #start(List, List, Path)}, with {@code extraYaml} (top-level sections, e.g. {@code kafka}) at the end. */
  public static FleetHarness start(List<String> services, List<String> environments, Path dir, String extraYaml)
      throws Exception {
    Vertx vertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(services).withEnvironments(environments).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, yaml(sim, sim.targets(), extraYaml));
    ConfigResult loaded = ConfigLoader.load(file, Map.of());
    if (!loaded.isValid()) {
      throw new IllegalStateException("test configuration invalid: " + loaded.errors() + "\n" + Files.readString(file));
    }
    VigilConfig config = loaded.orElseThrow();
    return new FleetHarness(vertx, sim, dir, file, config);
  }

  /**
   * {@code services} generated services, blue and green, on {@code services / 4} shared ports (at
   * most 64, the simulator's limit: 16 instances each for 1,000, a few connections of the monitor's
   * pool per host for each), served by a Vert.x of
   * their own (so the monitor's event loops serve only the monitor), and a monitor polling them
   * with the given {@code polling} and {@code server} flow mappings, and {@code extraYaml} (top-level
   * sections, e.g. {@code rules}) added as is.
   */
  public static FleetHarness startGenerated(int services, String polling, String server, String extraYaml, Path dir)
      throws Exception {
    Vertx simVertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(simVertx, SimulatorOptions.defaults()
        .withGenerated(services, Math.min(64, Math.max(1, services / 4))).withEnvironments(List.of("blue", "green")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    StringBuilder y = new StringBuilder("monitorId: load-monitor\n")
        .append("server: {host: 127.0.0.1, port: 0, adminToken: ").append(TOKEN).append(", ").append(server).append("}\n")
        .append("polling: ").append(polling).append("\n")
        .append(extraYaml)
        .append("targets:\n");
    y.append(targetLines(sim, sim.targets()));
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, y);
    ConfigResult loaded = ConfigLoader.load(file, Map.of());
    if (!loaded.isValid()) {
      throw new IllegalStateException("test configuration invalid: " + loaded.errors());
    }
    FleetHarness h = new FleetHarness(TestVertx.create(), sim, dir, file, loaded.orElseThrow());
    h.simVertx = simVertx;
    return h;
  }

  /**
   * The YAML list items of {@code targets} on {@code sim}: service, environment, URL and the public
   * key file {@code FleetSimulator.writePublicKeys} wrote, one {@code "  - {...}"} line each.
   */
  public static String targetLines(FleetSimulator sim, List<TargetId> targets) {
    StringBuilder y = new StringBuilder();
    for (TargetId t : targets) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: \"").append(sim.baseUrl(t)).append("\", keys: [{file: ").append(t.service()).append('-')
          .append(t.environment()).append(".pub.pem}]}\n");
    }
    return y.toString();
  }

  /** A configuration for {@code targets} with fast polling and small rule windows. */
  static String yaml(FleetSimulator sim, List<TargetId> targets, String extraTargetYaml) {
    StringBuilder y = new StringBuilder();
    y.append("monitorId: test-monitor\n")
        .append("server: {host: 127.0.0.1, port: 0, adminToken: ").append(TOKEN).append("}\n")
        .append("polling: {interval: 500ms, timeout: 400ms, retries: 0, retryBackoff: 50ms, jitter: 0.5, partitionThreshold: 0.8, partitionMinTargets: 3}\n")
        .append("scoring: {window: 3s}\n")
        .append("rules:\n")
        .append("  compliance_score: {threshold: 0.95, window: 3s, consecutive: 2}\n")
        .append("  availability: {threshold: 0.999, window: 2s, consecutive: 1}\n")
        .append("  latency_p95: {threshold: 2.0, window: 2s, consecutive: 2}\n")
        .append("  error_rate: {threshold: 0.01, window: 2s, consecutive: 2}\n")
        .append("  throughput: {threshold: 100, window: 2s, consecutive: 2}\n")
        .append("targets:\n");
    y.append(targetLines(sim, targets));
    y.append(extraTargetYaml);
    return y.toString();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + verticle.port();
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> reload(String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The target's entry of /api/v1/targets, or null. */
  JsonNode target(TargetId id) throws IOException, InterruptedException {
    JsonNode root = JSON.readTree(get("/api/v1/targets").body());
    for (JsonNode t : root.get("targets")) {
      if (t.get("service").asText().equals(id.service()) && t.get("environment").asText().equals(id.environment())) {
        return t;
      }
    }
    return null;
  }

  String verdict(TargetId id) throws IOException, InterruptedException {
    JsonNode t = target(id);
    return t == null ? null : t.path("verdict").asText(null);
  }

  public long count(TargetId id, String rule, BreachTransition.Kind kind) {
    return events.stream().filter(e -> e.kind() == kind && e.breach().target().equals(id) && e.breach().rule().equals(rule)).count();
  }

  /** The value of one sample line of /metrics, or NaN when absent. */
  double metric(String seriesPrefix) throws IOException, InterruptedException {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(seriesPrefix + " ")) {
        return Double.parseDouble(line.substring(seriesPrefix.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  static String series(String name, TargetId id) {
    return name + "{environment=\"" + id.environment() + "\",service=\"" + id.service() + "\"}";
  }

  /** Stops everything; fails when an event loop was blocked longer than the test limit (100 ms). */
  public void close() throws Exception {
    try {
      TestVertx.await(sim.stop());
    } finally {
      TestVertx.await(vertx.close());
      if (simVertx != null) {
        TestVertx.await(simVertx.close());
      }
      metrics.close();
    }
    org.assertj.core.api.Assertions.assertThat(TestVertx.blocked(vertx)).as("event loop blocked").isEmpty();
  }

  public static Duration deadline() {
    return Duration.ofSeconds(20);
  }
}
