package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.EventSink;
import dev.vigil.monitor.ConfigSource;
import dev.vigil.monitor.FleetHarness;
import dev.vigil.monitor.MonitorBuilder;
import dev.vigil.monitor.MonitorVerticle;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor (real simulator, real HTTP, real local store) stopped and started again keeps a
 * tampered service's breach as one breach; a target removed from the configuration, on reload or
 * while the monitor was down, has its breach resolved and its state dropped.
 */
class MonitorStateIT {
  static final TargetId VICTIM = new TargetId("integrity-service", "green");
  static final TargetId OTHER = new TargetId("auth-service", "green");
  @TempDir Path dir;
  Vertx vertx;
  FleetSimulator sim;
  final List<BreachTransition> events = new CopyOnWriteArrayList<>();
  final EventSink sink = events::add;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of(VICTIM.service(), OTHER.service())).withEnvironments(List.of("green")).withBasePort(0)
        .withAdminPort(0)));
    sim.writePublicKeys(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(sim.stop());
    TestVertx.await(vertx.close());
  }

  VigilConfig config(List<TargetId> targets) {
    StringBuilder y = new StringBuilder("monitorId: state-it\nserver: {host: 127.0.0.1, port: 0}\n"
        + "polling: {interval: 300ms, timeout: 250ms}\nstate: {dir: state, flushInterval: 200ms}\n"
        + "rules: {compliance_score: {enabled: false}}\ntargets:\n");
    y.append(FleetHarness.targetLines(sim, targets));
    ConfigResult r = ConfigLoader.parse(y.toString(), dir, Map.of());
    assertThat(r.errors()).isEmpty();
    return r.orElseThrow();
  }

  MonitorVerticle deploy(VigilConfig config, ConfigSource source) throws Exception {
    MonitorVerticle v = MonitorBuilder.of(config).events(sink).clock(Clock.systemUTC()).configSource(source).build();
    TestVertx.await(vertx.deployVerticle(v));
    return v;
  }

  MonitorVerticle deploy(VigilConfig config) throws Exception {
    return deploy(config, () -> new ConfigSource.Loaded(config, List.of()));
  }

  List<BreachTransition> of(BreachTransition.Kind kind, TargetId target) {
    return events.stream().filter(t -> t.kind() == kind && t.breach().target().equals(target)).toList();
  }

  String openedBreach() {
    await().atMost(Duration.ofSeconds(30)).until(() -> !of(BreachTransition.Kind.OPENED, VICTIM).isEmpty());
    return of(BreachTransition.Kind.OPENED, VICTIM).get(0).breach().breachId();
  }

  static String metrics(MonitorVerticle v) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.port()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  static List<dev.vigil.score.Breach> openBreaches(MonitorVerticle v) throws Exception {
    return TestVertx.await(v.inspect(m -> m.openBreaches()));
  }

  long polls(MonitorVerticle v, TargetId id) throws Exception {
    return TestVertx.await(v.inspect(m -> m.targets().stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow().polls()));
  }

  @Test
  void aRestartContinuesTheSameBreachAndResolvesItOnce() throws Exception {
    VigilConfig config = config(List.of(VICTIM, OTHER));
    TestVertx.await(sim.setFault(VICTIM, Fault.TAMPERED_HASH));
    MonitorVerticle first = deploy(config);
    String id = openedBreach();
    // first polls are spread over the interval: the victim's breach can open before the other target's first poll,
    // and a target never polled has no state to save
    await().atMost(Duration.ofSeconds(30)).until(() -> polls(first, OTHER) >= 1);
    TestVertx.await(vertx.undeploy(first.deploymentID()));

    MonitorVerticle second = deploy(config);
    assertThat(metrics(second)).contains("constitutional_monitor_state_restored_total{source=\"local\"} 2.0");
    assertThat(openBreaches(second)).extracting(b -> b.breachId()).containsExactly(id);
    await().atMost(Duration.ofSeconds(30)).until(() -> polls(second, VICTIM) >= 3);
    assertThat(of(BreachTransition.Kind.OPENED, VICTIM)).as("still tampered after the restart: no second breach")
        .hasSize(1);
    TestVertx.await(sim.clearFault(VICTIM));
    await().atMost(Duration.ofSeconds(30)).until(() -> !of(BreachTransition.Kind.RESOLVED, VICTIM).isEmpty());
    assertThat(of(BreachTransition.Kind.RESOLVED, VICTIM)).singleElement()
        .satisfies(t -> assertThat(t.breach().breachId()).isEqualTo(id));
    await().atMost(Duration.ofSeconds(30)).until(() -> polls(second, VICTIM) >= 6);
    assertThat(of(BreachTransition.Kind.RESOLVED, VICTIM)).hasSize(1);
    TestVertx.await(vertx.undeploy(second.deploymentID()));
  }

  @Test
  void aTargetRemovedOnReloadResolvesItsBreachAndDropsItsState() throws Exception {
    VigilConfig both = config(List.of(VICTIM, OTHER));
    VigilConfig one = config(List.of(OTHER));
    AtomicReference<VigilConfig> current = new AtomicReference<>(both);
    TestVertx.await(sim.setFault(VICTIM, Fault.TAMPERED_HASH));
    MonitorVerticle v = deploy(both, () -> new ConfigSource.Loaded(current.get(), List.of()));
    String id = openedBreach();
    await().atMost(Duration.ofSeconds(30)).until(() -> polls(v, OTHER) >= 1);
    current.set(one);
    assertThat(TestVertx.await(v.reload())).isEmpty();
    assertThat(of(BreachTransition.Kind.RESOLVED, VICTIM)).singleElement()
        .satisfies(t -> assertThat(t.breach().breachId()).isEqualTo(id));
    TestVertx.await(vertx.undeploy(v.deploymentID()));
    try (LocalStateStore store = LocalStateStore.open(dir.resolve("state"), Clock.systemUTC())) {
      assertThat(store.load(t -> true)).containsOnlyKeys(OTHER);
    }
  }

  @Test
  void aTargetRemovedWhileTheMonitorWasDownIsResolvedAtStart() throws Exception {
    TestVertx.await(sim.setFault(VICTIM, Fault.TAMPERED_HASH));
    MonitorVerticle first = deploy(config(List.of(VICTIM, OTHER)));
    String id = openedBreach();
    await().atMost(Duration.ofSeconds(30)).until(() -> polls(first, OTHER) >= 1);
    TestVertx.await(vertx.undeploy(first.deploymentID()));

    MonitorVerticle second = deploy(config(List.of(OTHER)));
    assertThat(of(BreachTransition.Kind.RESOLVED, VICTIM)).singleElement()
        .satisfies(t -> assertThat(t.breach().breachId()).isEqualTo(id));
    assertThat(openBreaches(second)).isEmpty();
    TestVertx.await(vertx.undeploy(second.deploymentID()));
    try (LocalStateStore store = LocalStateStore.open(dir.resolve("state"), Clock.systemUTC())) {
      assertThat(store.load(t -> true)).containsOnlyKeys(OTHER);
    }
  }
}
