package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Verdict;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import dev.vigil.score.TargetMemory;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.state.LocalStateStore;
import dev.vigil.state.TargetSnapshot;
import dev.vigil.testing.LogCapture;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor stopped while its polls are in flight (real simulator with slow targets, real HTTP,
 * real evidence log and local state) does not judge them: the polls its own shutdown cuts off are
 * not verdicts. No verdict-change WARN, no ERROR, no breach event, and neither the evidence log nor
 * the saved state holds anything of a poll that ended after the stop began.
 */
class MonitorStopTest {
  static final TargetId SLOW_TARGET = new TargetId("integrity-service", "green");
  static final TargetId ANSWERING = new TargetId("auth-service", "green");
  static final List<TargetId> TARGETS = List.of(SLOW_TARGET, ANSWERING);
  /** Longer than the test: a slow poll is in flight until the monitor's shutdown cuts it off. */
  static final Duration SLOW = Duration.ofSeconds(60);

  @TempDir Path dir;
  Vertx vertx;
  /** The simulator's own Vert.x: the monitor's event loops serve only the monitor. */
  Vertx simVertx;
  FleetSimulator sim;
  final List<BreachTransition> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    simVertx = Vertx.vertx();
    sim = TestVertx.await(FleetSimulator.start(simVertx, SimulatorOptions.defaults()
        .withServices(TARGETS.stream().map(TargetId::service).toList()).withEnvironments(List.of("green"))
        .withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(sim.stop());
    TestVertx.await(simVertx.close());
    TestVertx.await(vertx.close());
    assertThat(TestVertx.blocked(vertx)).as("event loop blocked").isEmpty();
  }

  /**
   * Two targets (fewer than partitionMinTargets: no partition holds the availability rule) whose
   * availability breach opens on a single unreachable poll, retried once: were a poll cut off by the
   * closing client judged, it would open a breach. Polled once within the test (first polls within
   * 0.6 s, the next 30 s later), each poll's deadline longer than the test.
   */
  VigilConfig config(Duration retryBackoff) {
    return config(sim, TARGETS, "retries: 1, retryBackoff: " + retryBackoff.toMillis() + "ms, partitionMinTargets: 3");
  }

  VigilConfig config(FleetSimulator sim, List<TargetId> targets, String polling) {
    StringBuilder y = new StringBuilder("monitorId: stop-test\nserver: {host: 127.0.0.1, port: 0}\n"
        + "polling: {interval: 30s, timeout: 20s, jitter: 0.02, " + polling + "}\n"
        + "scoring: {window: 3s}\n"
        + "rules:\n"
        + "  compliance_score: {enabled: false}\n"
        + "  availability: {threshold: 0.999, window: 10s, consecutive: 1}\n"
        + "state: {dir: state, flushInterval: 100ms}\n"
        + "evidence: {dir: evidence, sampleInterval: 1s, flushInterval: 50ms, checkpointInterval: 1s}\n"
        + "targets:\n");
    y.append(FleetHarness.targetLines(sim, targets));
    ConfigResult r = ConfigLoader.parse(y.toString(), dir, Map.of());
    assertThat(r.errors()).isEmpty();
    return r.orElseThrow();
  }

  long polls(MonitorVerticle v, TargetId id) throws Exception {
    return TestVertx.await(v.inspect(m -> m.targets().stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow().polls()));
  }

  /**
   * Deploys the monitor over one answering target and one showing {@code fault}, and waits until the
   * answering one has been judged and the other's poll has reached it (and is still in flight).
   */
  MonitorVerticle monitorWithPollInFlight(Fault fault, Duration delay, Duration retryBackoff) throws Exception {
    TestVertx.await(sim.setFault(SLOW_TARGET, fault, delay));
    MonitorVerticle v = MonitorBuilder.of(config(retryBackoff)).events(events::add).clock(Clock.systemUTC()).build();
    TestVertx.await(vertx.deployVerticle(v));
    await().atMost(Duration.ofSeconds(20)).until(() -> polls(v, ANSWERING) >= 1 && sim.requests(SLOW_TARGET) >= 1);
    return v;
  }

  @Nested
  class PollsInFlightAtStop {
    @Test
    void aResponseStillComingIsNotJudgedLoggedRecordedOrSaved() throws Exception {
      stopAndCheckNothingJudged(monitorWithPollInFlight(Fault.SLOW, SLOW, Duration.ofMillis(10)));
    }

    @Test
    void aPollWaitingToRetryIsNotRetriedAgainstTheClosedClient() throws Exception {
      // HTTP 500 is retried after the backoff: the stop comes while the poll waits for it
      stopAndCheckNothingJudged(monitorWithPollInFlight(Fault.HTTP_500, Duration.ZERO, Duration.ofSeconds(8)));
    }

    @Test
    void pollsWaitingForAPooledConnectionAreNotJudgedWhenThePoolCloses() throws Exception {
      // 40 slow targets on one port: the probe's pool (8 connections a host) holds most of their polls waiting for a
      // connection, and closing the client fails those at once ("Pool closed"); 40 answering targets on another
      // port; no partition detection: each failed poll, were it judged, would open a breach
      TestVertx.await(sim.stop());
      sim = TestVertx.await(FleetSimulator.start(simVertx, SimulatorOptions.defaults().withGenerated(40, 2)
          .withEnvironments(List.of("blue", "green")).withBasePort(0).withAdminPort(0)));
      sim.writePublicKeys(dir);
      List<TargetId> fleet = sim.targets();
      int slowPort = sim.baseUrl(fleet.get(0)).getPort();
      List<TargetId> slow = fleet.stream().filter(id -> sim.baseUrl(id).getPort() == slowPort).toList();
      List<TargetId> answering = fleet.stream().filter(id -> !slow.contains(id)).toList();
      assertThat(slow).hasSizeGreaterThan(8 * 2);
      for (TargetId id : slow) {
        TestVertx.await(sim.setFault(id, Fault.SLOW, SLOW));
      }
      MonitorVerticle v = MonitorBuilder.of(config(sim, fleet, "retries: 0, concurrency: 200, partitionMinTargets: 1000"))
          .events(events::add).clock(Clock.systemUTC()).build();
      TestVertx.await(vertx.deployVerticle(v));
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        for (TargetId id : answering) {
          if (polls(v, id) < 1) {
            return false;
          }
        }
        return TestVertx.await(v.inspect(Monitor::pollsInFlight)) == slow.size();
      });
      stopAndCheckNothingJudged(v, answering);
    }

    void stopAndCheckNothingJudged(MonitorVerticle v) throws Exception {
      stopAndCheckNothingJudged(v, List.of(ANSWERING));
    }

    void stopAndCheckNothingJudged(MonitorVerticle v, List<TargetId> answering) throws Exception {
      assertThat(events).as("no breach before the stop").isEmpty();
      Instant stopBegan;
      List<LogCapture.Line> lines;
      try (LogCapture log = LogCapture.begin()) {
        stopBegan = Instant.now();
        TestVertx.await(vertx.undeploy(v.deploymentID()));
        // the cut-off poll ends either judged (a verdict line) or counted as not judged
        await("the cut-off poll ended, judged or counted as not judged").atMost(Duration.ofSeconds(20))
            .until(() -> !log.lines("dev.vigil", l -> !l.is("DEBUG")
            && (l.logger().equals("dev.vigil.poll.VerdictLog") || l.message().contains("not judged"))).isEmpty());
        lines = log.lines();
      }

      assertThat(lines).as("no verdict change logged for polls the shutdown cut off")
          .noneMatch(l -> l.logger().equals("dev.vigil.poll.VerdictLog") && !l.is("DEBUG"));
      assertThat(lines).as("no ERROR at shutdown").noneMatch(l -> l.is("ERROR"));
      assertThat(lines).as("no partition judged from them")
          .noneMatch(l -> l.message().contains("partition"));
      assertThat(events).as("no breach published from the shutdown").isEmpty();

      try (EvidenceLog evidence = EvidenceLog.open(dir.resolve("evidence"), "stop-test", Duration.ofMillis(50),
          Clock.systemUTC())) {
        List<Entry> entries = new ArrayList<>();
        for (byte[] b : evidence.read(evidence.first(), evidence.size())) {
          entries.add(Entry.parse(b));
        }
        assertThat(entries).as("the targets' polls before the stop were recorded").isNotEmpty();
        assertThat(entries).as("no evidence of a poll that ended after the stop began")
            .allSatisfy(e -> {
              assertThat(e.kind()).isEqualTo(Entry.Kind.VERDICT);
              assertThat(answering).contains(new TargetId(e.service(), e.environment()));
              assertThat(e.verdict()).isEqualTo(Verdict.COMPLIANT.label());
              assertThat(e.time()).isBefore(stopBegan);
            });
      }

      try (LocalStateStore store = LocalStateStore.open(dir.resolve("state"), Clock.systemUTC())) {
        Map<TargetId, TargetSnapshot> saved = store.load(id -> true);
        assertThat(saved).as("the answering targets' state at the stop was saved").containsKeys(
            answering.toArray(new TargetId[0]));
        answering.forEach(id -> assertThat(saved.get(id).memory().window()).isNotEmpty());
        for (TargetSnapshot s : saved.values()) {
          assertThat(s.openBreaches()).isEmpty();
          assertThat(s.memory().window()).extracting(TargetMemory.Entry::observation)
              .as("no observation of a poll that ended after the stop began")
              .allSatisfy(o -> {
                assertThat(o.verdict()).isEqualTo(Verdict.COMPLIANT);
                assertThat(o.at()).isBefore(stopBegan);
              });
        }
      }
    }
  }

  /** A group member handing its shard over while a poll of it is in flight (no Kafka: the handover is called directly). */
  @Nested
  class ShardHandover {
    @Test
    void abandonsTheMovingTargetsPollsInFlightUnjudgedBeforeSavingTheirState() throws Exception {
      TestVertx.await(sim.setFault(SLOW_TARGET, Fault.SLOW, SLOW));
      io.vertx.core.Context ctx = vertx.getOrCreateContext();
      MonitorMetrics metrics = new MonitorMetrics();
      dev.vigil.state.StateStore store = LocalStateStore.open(dir.resolve("state"), Clock.systemUTC());
      java.util.concurrent.atomic.AtomicReference<Monitor> monitor = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicReference<dev.vigil.group.MonitorShards> shards =
          new java.util.concurrent.atomic.AtomicReference<>();
      try {
        TestVertx.await(on(ctx, () -> {
          Monitor m = new Monitor(vertx, Clock.systemUTC(), events::add, metrics, new java.util.Random(1));
          m.keepState(store);
          monitor.set(m);
          shards.set(dev.vigil.group.MonitorShards.attach(ctx, m, 1, Duration.ofSeconds(10)));
          return m.start(config(Duration.ofMillis(10)));
        }));
        shards.get().assigned(java.util.Set.of(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> TestVertx.await(on(ctx, () -> io.vertx.core.Future.succeededFuture(
            monitor.get().targets().stream().filter(t -> t.id().equals(ANSWERING)).findFirst().orElseThrow().polls() >= 1
                && monitor.get().pollsInFlight() == 1))));

        try (LogCapture log = LogCapture.begin()) {
          shards.get().revoked(java.util.Set.of(0));
          assertThat(TestVertx.await(on(ctx, () -> io.vertx.core.Future.succeededFuture(monitor.get().pollsInFlight()))))
              .as("the moving target's poll is abandoned by the handover, not left to finish here").isZero();
          assertThat(log.lines()).noneMatch(l -> l.is("ERROR") || l.is("WARN"));
        }
        assertThat(events).as("handing over resolves or opens nothing").isEmpty();
        assertThat(store.load(id -> true)).as("the answering target's state was saved for its next owner")
            .containsKey(ANSWERING);
      } finally {
        if (monitor.get() != null) {
          TestVertx.await(on(ctx, () -> monitor.get().stop()));
        }
        store.close();
        metrics.close();
      }
    }
  }

  static <T> io.vertx.core.Future<T> on(io.vertx.core.Context ctx, java.util.function.Supplier<io.vertx.core.Future<T>> call) {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }
}
