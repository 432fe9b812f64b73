package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ActuatorConfig;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.RollbackConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.events.RollbackFinished;
import dev.vigil.monitor.Promtool;
import dev.vigil.poll.HttpProbe;
import dev.vigil.poll.Poller;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter;
import dev.vigil.testing.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClientAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end, without Kafka: a real simulator (green and blue, traffic router), the
 * simulator actuator, blue validated with the monitor's own poller and verifier, the de-dup store
 * on disk, a recording {@link OutcomeSink}, and the metrics on a Prometheus registry.
 */
class RollbackEngineTest {
  static final List<String> SERVICES = List.of("integrity-service", "auth-service", "executive-council-service");
  @TempDir Path dir;
  Vertx vertx;
  FleetSimulator sim;
  VigilConfig vigil;
  HttpClientAgent http;
  WorkerExecutor verifyPool;
  Context context;
  final List<RollbackFinished> published = new CopyOnWriteArrayList<>();
  /** What the engine returned for the last {@link #handle}: the outcome with its traffic. */
  RollbackOutcome last;
  final AtomicBoolean sinkDown = new AtomicBoolean();
  final AtomicInteger moves = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  PrometheusMeterRegistry registry;
  DedupStore store;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults().withServices(SERVICES)
        .withEnvironments(List.of("green", "blue")).withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    StringBuilder y = new StringBuilder("targets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: \"").append(sim.baseUrl(t)).append("\", timeout: 1s, retries: 0, keys: [{file: ")
          .append(t.service()).append('-').append(t.environment()).append(".pub.pem}]}\n");
    }
    Files.writeString(dir.resolve("vigil.yaml"), y);
    vigil = ConfigLoader.load(dir.resolve("vigil.yaml"), Map.of()).orElseThrow();
    http = vertx.createHttpClient();
    verifyPool = vertx.createSharedWorkerExecutor("test-verify", 2);
    context = vertx.getOrCreateContext();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (store != null) {
      store.close();
    }
    TestVertx.await(sim.stop());
    TestVertx.await(vertx.close());
    registry.close();
  }

  RollbackConfig config(boolean dryRun, Duration validationTimeout, Duration executionTimeout) {
    RollbackConfig d = RollbackConfig.defaults();
    return new RollbackConfig(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 2, Duration.ofMinutes(10),
        dryRun, 2, validationTimeout, Duration.ofMillis(100), executionTimeout, dir.resolve("dedup"),
        d.dedupRetention(), "green", "blue", d.critical(), Map.of("integrity-service", List.of("auth-service")),
        new ActuatorConfig.Simulator(sim.adminUrl(), Duration.ofSeconds(5)), Map.of(),
        d.maxEventAge(), d.maxClockSkew());
  }

  RollbackConfig config() {
    return config(false, Duration.ofSeconds(10), Duration.ofSeconds(20));
  }

  /** An engine as the controller builds it at start (a restart is a new one over the same directory). */
  RollbackEngine engine(RollbackConfig c, Function<String, Actuator> actuators) throws Exception {
    return engine(c, actuators, Clock.systemUTC(), null);
  }

  /** As {@link #engine(RollbackConfig, Function)} on {@code clock}; {@code corrupt} non-null stands for the store's count. */
  RollbackEngine engine(RollbackConfig c, Function<String, Actuator> actuators, Clock clock, LongSupplier corrupt)
      throws Exception {
    if (store != null) {
      store.close();
    }
    store = DedupStore.open(c.dedupDir(), c.dedupRetention(), Instant.now());
    Poller poller = new Poller(vertx, new HttpProbe(vertx, 4), verifyPool, Clock.systemUTC());
    BlueValidation validation = new BlueValidation(vertx, new PollerBlueProbe(poller, vigil),
        c.validationConsecutive(), c.validationTimeout(), c.validationInterval(), Clock.systemUTC());
    OutcomeSink sink = o -> {
      if (sinkDown.get()) {
        return Future.failedFuture("broker unreachable");
      }
      published.add(o);
      return Future.succeededFuture();
    };
    DedupStore opened = store;
    RollbackEngine e = new RollbackEngine(vertx, c, new Guards(c), store, actuators, validation, sink,
        new RollbackMetrics(registry), clock, corrupt != null ? corrupt : opened::corruptRecords);
    e.restoreGuards();
    return e;
  }

  /** The configured actuators, counting the moves that reach them. */
  Function<String, Actuator> counting(RollbackConfig c) {
    Actuators real = new Actuators(vertx, c, http, () -> {
      throw new IllegalStateException("no Kubernetes here");
    });
    return service -> {
      Actuator a = real.apply(service);
      return new Actuator() {
        @Override
        public Future<ActuationResult> moveToBlue(String s, String breachId) {
          moves.incrementAndGet();
          return a.moveToBlue(s, breachId);
        }

        @Override
        public Future<Weights> weights(String s) {
          reads.incrementAndGet();
          return a.weights(s);
        }

        @Override
        public String type() {
          return a.type();
        }
      };
    };
  }

  RollbackFinished handle(RollbackEngine engine, BreachEvent e) throws Exception {
    Promise<RollbackOutcome> p = Promise.promise();
    context.runOnContext(v -> engine.handle(e).onComplete(p));
    last = TestVertx.await(p.future());
    return last.finished();
  }

  static BreachEvent breach(String service, String env, int n) {
    return new BreachEvent("evt-" + service + "-" + n, "b-" + service + "-" + env + "-hash_mismatch-" + n, service, env,
        "hash_mismatch", "critical", Instant.now());
  }

  @Test
  void succeededMovesTrafficValidatesBlueAndReports() throws Exception {
    RollbackConfig c = config();
    RollbackEngine engine = engine(c, counting(c));
    BreachEvent e = breach("integrity-service", "green", 1);
    RollbackFinished o = handle(engine, e);
    assertThat(o.status().label()).isEqualTo("succeeded");
    assertThat(o.detail()).startsWith("blue attested compliant 2 times in a row; simulator: simulator router"
        + " integrity-service green 100/blue 0 -> blue 100");
    assertThat(last.traffic()).isEqualTo(RollbackOutcome.Traffic.MOVED);
    assertThat(o.rollbackId()).isEqualTo(RollbackEngine.rollbackId(e)).matches("r-[0-9a-f]{12}");
    assertThat(o.breachId()).isEqualTo(e.breachId());
    assertThat(o.breachEventId()).isEqualTo(e.eventId());
    assertThat(o.from()).isEqualTo("green");
    assertThat(o.to()).isEqualTo("blue");
    assertThat(o.durationMs()).isEqualTo(Duration.between(o.startedAt(), o.finishedAt()).toMillis());
    assertThat(published).containsExactly(o);
    assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
    assertThat(sim.traffic().split("auth-service")).isEqualTo(new TrafficRouter.Split(100, 0));
    assertThat(store.find(e.eventId(), e.breachId()).orElseThrow().state()).isEqualTo(DedupStore.State.FINISHED);
    String scrape = registry.scrape();
    assertThat(scrape).contains("constitutional_rollbacks_total{service=\"integrity-service\",status=\"succeeded\"} 1.0",
        "constitutional_traffic_weight{environment=\"blue\",service=\"integrity-service\"} 100.0",
        "constitutional_traffic_weight{environment=\"green\",service=\"integrity-service\"} 0.0",
        "constitutional_rollback_duration_seconds_count{service=\"integrity-service\"} 1");

    // the same event again, and another event of the same breach: duplicate, nothing moved
    RollbackFinished dup = handle(engine, e);
    assertThat(dup.status().label()).isEqualTo("skipped");
    assertThat(dup.detail()).startsWith("duplicate: event " + e.eventId() + " already handled (succeeded at ");
    RollbackFinished sameBreach = handle(engine, new BreachEvent("evt-other", e.breachId(), e.service(), "green",
        "hash_mismatch", "critical", Instant.now()));
    assertThat(sameBreach.detail()).startsWith("duplicate: breach " + e.breachId());
    assertThat(moves.get()).isEqualTo(1);
    assertThat(registry.scrape()).contains("constitutional_rollback_events_rejected_total{reason=\"duplicate\"} 2.0");
  }

  @Test
  void guardsSkipWithoutMoving() throws Exception {
    RollbackConfig dry = config(true, Duration.ofSeconds(10), Duration.ofSeconds(20));
    RollbackEngine engine = engine(dry, counting(dry));
    RollbackFinished o = handle(engine, breach("integrity-service", "green", 1));
    assertThat(o.status().label()).isEqualTo("skipped");
    assertThat(o.detail()).isEqualTo("dry_run: would move integrity-service from green to blue");
    assertThat(last.traffic()).isEqualTo(RollbackOutcome.Traffic.NOT_MOVED);
    RollbackFinished blue = handle(engine, breach("auth-service", "blue", 1));
    assertThat(blue.detail()).startsWith("not_rollbackable: the breach is on blue");
    assertThat(moves.get()).isZero();
    assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(100, 0));
    assertThat(published).hasSize(2);

    RollbackConfig c = config();
    RollbackEngine live = engine(c, counting(c));
    assertThat(handle(live, breach("integrity-service", "green", 2)).status().label()).isEqualTo("succeeded");
    assertThat(handle(live, breach("integrity-service", "green", 3)).detail()).startsWith("cooldown: integrity-service");
    assertThat(handle(live, breach("auth-service", "green", 4)).status().label()).isEqualTo("succeeded");
    assertThat(handle(live, breach("executive-council-service", "green", 5)).detail())
        .startsWith("blast_radius: 2 services already rolled back within 10m (limit 2)");
    assertThat(moves.get()).isEqualTo(2);
    assertThat(sim.traffic().split("executive-council-service")).isEqualTo(new TrafficRouter.Split(100, 0));
    assertThat(published).filteredOn(p -> p.status().label().equals("skipped")).hasSize(4)
        .allSatisfy(p -> assertThat(p.detail()).as("one prefix").doesNotMatch("(?s)^(\\w+): \\1:.*"));
  }

  @Test
  void validationFailedWhenBlueIsTampered() throws Exception {
    TestVertx.await(sim.setFault(new TargetId("integrity-service", "blue"), Fault.TAMPERED_HASH));
    RollbackConfig c = config(false, Duration.ofSeconds(1), Duration.ofSeconds(20));
    RollbackFinished o = handle(engine(c, counting(c)), breach("integrity-service", "green", 1));
    assertThat(o.status().label()).isEqualTo("validation_failed");
    assertThat(o.detail()).startsWith("blue did not attest compliant 2 times in a row within 1s").contains("hash_mismatch");
    // traffic was moved all the same: blue is the last good side the operator chose
    assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
    assertThat(registry.scrape()).contains(
        "constitutional_rollbacks_total{service=\"integrity-service\",status=\"validation_failed\"} 1.0");
  }

  @Test
  void failedWhenTheActuatorFails() throws Exception {
    RollbackConfig c = config();
    RollbackEngine engine = engine(c, s -> new SimulatorActuator(http, sim.adminUrl(), Duration.ofSeconds(2)));
    RollbackFinished o = handle(engine, breach("unknown-service", "green", 1));
    assertThat(o.status().label()).isEqualTo("failed");
    assertThat(o.detail()).startsWith("traffic could not be moved: simulator router: HTTP 404");
    assertThat(last.traffic()).isEqualTo(RollbackOutcome.Traffic.NOT_MOVED);
    RollbackFinished none = handle(engine(c, s -> null), breach("auth-service", "green", 1));
    assertThat(none.detail()).isEqualTo("traffic could not be moved: no actuator configured for auth-service");
    assertThat(published).extracting(p -> p.status().label()).containsExactly("failed", "failed");
    // a failed switch holds no cooldown: once an actuator is configured, the next breach rolls back
    RollbackConfig c2 = config();
    assertThat(handle(engine(c2, counting(c2)), breach("auth-service", "green", 2)).status().label()).isEqualTo("succeeded");
  }

  @Test
  void aBreachResolvedLaterInTheBatchIsSkippedAsStaleAndRecorded() throws Exception {
    RollbackConfig c = config();
    RollbackEngine engine = engine(c, counting(c));
    BreachEvent e = breach("integrity-service", "green", 1);
    Promise<RollbackOutcome> p = Promise.promise();
    context.runOnContext(v -> engine.handle(e, "breach.resolved evt-r at offset 7").onComplete(p));
    RollbackFinished o = TestVertx.await(p.future()).finished();
    assertThat(o.status().label()).isEqualTo("skipped");
    assertThat(o.detail()).isEqualTo("stale_event: breach " + e.breachId() + " was already resolved by a later event"
        + " in the same batch (breach.resolved evt-r at offset 7)");
    assertThat(moves.get()).isZero();
    assertThat(store.find(e.eventId(), e.breachId()).orElseThrow().status()).isEqualTo("skipped");
    assertThat(handle(engine, e).detail()).startsWith("duplicate: event " + e.eventId());
  }

  @Test
  void aMovedEventResumesEvenWhenItIsStaleByNow() throws Exception {
    RollbackConfig c = config();
    BreachEvent e = breach("integrity-service", "green", 1);
    sinkDown.set(true);
    assertThatThrownBy(() -> handle(engine(c, counting(c)), e)).isInstanceOf(ExecutionException.class);
    sinkDown.set(false);
    // Restarted an hour later: the event is older than maxEventAge, but traffic was moved for it.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    RollbackFinished o = handle(engine(c, counting(c), later, null), e);
    assertThat(o.status().label()).isEqualTo("succeeded");
    assertThat(o.detail()).endsWith("traffic had already been moved before a restart");
    assertThat(moves.get()).isEqualTo(1);
  }

  @Test
  void staleEventsAreSkippedOnTheEnginesClock() throws Exception {
    RollbackConfig c = config();
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11));
    RollbackFinished o = handle(engine(c, counting(c), later, null), breach("integrity-service", "green", 1));
    assertThat(o.status().label()).isEqualTo("skipped");
    assertThat(o.detail()).startsWith("stale_event: the breach event is dated ").endsWith("older than maxEventAge (10m)");
    assertThat(moves.get()).isZero();
  }

  /** One decision line per event (logger dev.vigil.rollback.Decisions), with the event's fields. */
  @Nested
  class DecisionLines {
    private List<dev.vigil.testing.LogCapture.Line> decisions(dev.vigil.testing.LogCapture logs) {
      return logs.lines("dev.vigil.rollback.Decisions", l -> true);
    }

    @Test
    void succeededIsInfoAndADuplicateIsAWarnRejection() throws Exception {
      RollbackConfig c = config();
      RollbackEngine engine = engine(c, counting(c));
      BreachEvent e = breach("integrity-service", "green", 1);
      try (dev.vigil.testing.LogCapture logs = dev.vigil.testing.LogCapture.begin()) {
        handle(engine, e);
        handle(engine, e);
        assertThat(decisions(logs)).hasSize(2);
        var ok = decisions(logs).get(0);
        assertThat(ok.level()).isEqualTo("INFO");
        assertThat(ok.message()).startsWith("rollback succeeded integrity-service green->blue for breach " + e.breachId());
        assertThat(ok.fields()).containsEntry("decision", "succeeded").containsEntry("service", "integrity-service")
            .containsEntry("environment", "green").containsEntry("breachId", e.breachId())
            .containsEntry("eventId", e.eventId());
        var dup = decisions(logs).get(1);
        assertThat(dup.level()).isEqualTo("WARN");
        assertThat(dup.message()).startsWith("rollback REJECTED duplicate integrity-service");
        assertThat(dup.fields()).containsEntry("decision", "rejected").containsEntry("reason", "duplicate");
      }
    }

    @Test
    void validationFailedIsWarnAndASkipIsInfo() throws Exception {
      TestVertx.await(sim.setFault(new TargetId("integrity-service", "blue"), Fault.TAMPERED_HASH));
      RollbackConfig c = config(false, Duration.ofSeconds(1), Duration.ofSeconds(20));
      RollbackEngine engine = engine(c, counting(c));
      try (dev.vigil.testing.LogCapture logs = dev.vigil.testing.LogCapture.begin()) {
        handle(engine, breach("integrity-service", "green", 1));
        handle(engine, breach("auth-service", "blue", 1));
        assertThat(decisions(logs)).extracting(dev.vigil.testing.LogCapture.Line::level).containsExactly("WARN", "INFO");
        assertThat(decisions(logs).get(0).fields()).containsEntry("decision", "validation_failed");
        assertThat(decisions(logs).get(1).fields()).containsEntry("decision", "skipped")
            .containsEntry("service", "auth-service");
        assertThat(decisions(logs).get(1).message()).contains("not_rollbackable");
      }
    }

    @Test
    void forgedAndMalformedRecordsAreWarnRejections() throws Exception {
      RollbackConfig c = config();
      RollbackEngine engine = engine(c, counting(c));
      BreachRecords records = new BreachRecords(engine,
          dev.vigil.attest.TrustStore.of(ControllerFixture.MONITOR_KEY.trusted()), Clock.systemUTC());
      byte[] forged = new dev.vigil.events.EventCodec(ControllerFixture.STRANGER_KEY)
          .sign(ControllerFixture.opened("integrity-service", "forged")).value();
      try (dev.vigil.testing.LogCapture logs = dev.vigil.testing.LogCapture.begin()) {
        for (byte[] value : List.of(forged, "{not json\n[ERROR] forged line".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
          Promise<Void> p = Promise.promise();
          context.runOnContext(v -> records.handle(new org.apache.kafka.clients.consumer.ConsumerRecord<>(
              "constitutional.breaches", 0, 7L, "k".getBytes(java.nio.charset.StandardCharsets.UTF_8), value), List.of()).onComplete(p));
          TestVertx.await(p.future());
        }
        assertThat(decisions(logs)).hasSize(2).allSatisfy(l -> {
          assertThat(l.level()).isEqualTo("WARN");
          assertThat(l.fields()).containsEntry("decision", "rejected");
          assertThat(l.message()).startsWith("breaches record constitutional.breaches-0@7 REJECTED").doesNotContain("\n");
        });
        assertThat(decisions(logs)).extracting(l -> l.fields().get("reason"))
            .containsExactly("untrusted_event", "malformed");
      }
      assertThat(moves.get()).isZero();
    }
  }

  @Nested
  class WhenTheStoreLostRecords {
    @Test
    void trafficAlreadyOnBlueIsDoneWithoutMovingIt() throws Exception {
      sim.traffic().set("integrity-service", new TrafficRouter.Split(0, 100));
      long before = sim.traffic().changes("integrity-service");
      RollbackConfig c = config();
      RollbackFinished o = handle(engine(c, counting(c), Clock.systemUTC(), () -> 2),
          breach("integrity-service", "green", 1));
      assertThat(reads.get()).isEqualTo(1);
      assertThat(moves.get()).as("no write to the actuator").isZero();
      assertThat(sim.traffic().changes("integrity-service")).isEqualTo(before);
      assertThat(o.status().label()).isEqualTo("succeeded");
      assertThat(o.detail()).contains("traffic already all on blue (weights read first");
      assertThat(store.find("evt-integrity-service-1", o.breachId()).orElseThrow().state())
          .isEqualTo(DedupStore.State.FINISHED);
    }

    @Test
    void trafficOnGreenIsReadThenMoved() throws Exception {
      RollbackConfig c = config();
      RollbackFinished o = handle(engine(c, counting(c), Clock.systemUTC(), () -> 1),
          breach("integrity-service", "green", 1));
      assertThat(o.status().label()).isEqualTo("succeeded");
      assertThat(reads.get()).isEqualTo(1);
      assertThat(moves.get()).isEqualTo(1);
      assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
    }

    @Test
    void weightsThatCannotBeReadMoveNothing() throws Exception {
      RollbackConfig c = config();
      Actuator blind = new Actuator() {
        @Override
        public Future<ActuationResult> moveToBlue(String service, String breachId) {
          moves.incrementAndGet();
          return Future.succeededFuture(new ActuationResult(Weights.ALL_BLUE, true, "moved"));
        }

        @Override
        public Future<Weights> weights(String service) {
          return Future.failedFuture("HTTP 503");
        }

        @Override
        public String type() {
          return "blind";
        }
      };
      RollbackFinished o = handle(engine(c, s -> blind, Clock.systemUTC(), () -> 1),
          breach("integrity-service", "green", 1));
      assertThat(o.status().label()).isEqualTo("failed");
      assertThat(o.detail()).isEqualTo("traffic could not be moved: the de-duplication store lost records at recovery"
          + " and the current weights could not be read: HTTP 503");
      assertThat(moves.get()).isZero();
    }

    @Test
    void aWholeStoreReadsNoWeights() throws Exception {
      RollbackConfig c = config();
      assertThat(handle(engine(c, counting(c)), breach("integrity-service", "green", 1)).status().label())
          .isEqualTo("succeeded");
      assertThat(store.corruptRecords()).isZero();
      assertThat(reads.get()).isZero();
    }
  }

  @Test
  void executionTimeoutBoundsTheWholeRollback() throws Exception {
    RollbackConfig c = config(false, Duration.ofMillis(500), Duration.ofSeconds(1));
    ManualClock clock = new ManualClock();
    // The actuator hangs while a whole execution timeout passes on the engine's clock.
    Actuator hangs = new Actuator() {
      @Override
      public Future<ActuationResult> moveToBlue(String service, String breachId) {
        clock.advance(Duration.ofSeconds(1));
        return Promise.<ActuationResult>promise().future();
      }

      @Override
      public Future<Weights> weights(String service) {
        return Future.succeededFuture(Weights.ALL_GREEN);
      }

      @Override
      public String type() {
        return "hangs";
      }
    };
    RollbackFinished o = handle(engine(c, s -> hangs, clock, null), breach("integrity-service", "green", 1));
    assertThat(o.status().label()).isEqualTo("failed");
    assertThat(o.detail()).isEqualTo("execution timeout: the rollback did not finish within 1s (traffic not moved)");
    assertThat(o.durationMs()).isBetween(900L, 10_000L);
    assertThat(last.traffic()).as("the actuator may still move it").isEqualTo(RollbackOutcome.Traffic.UNKNOWN);
  }

  @Test
  void crashBetweenMovedAndFinishedDoesNotMoveTwiceButStillReports() throws Exception {
    RollbackConfig c = config();
    BreachEvent e = breach("integrity-service", "green", 1);
    // First life: traffic moves, validation passes, but the outcome never reaches the broker.
    sinkDown.set(true);
    RollbackEngine first = engine(c, counting(c));
    assertThatThrownBy(() -> handle(first, e)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("broker unreachable");
    assertThat(moves.get()).isEqualTo(1);
    assertThat(store.find(e.eventId(), e.breachId()).orElseThrow().state()).isEqualTo(DedupStore.State.MOVED);
    Instant firstStart = store.find(e.eventId(), e.breachId()).orElseThrow().startedAt();
    assertThat(published).isEmpty();

    // Restart: a new engine over the same directory sees the same event again (offset not committed).
    sinkDown.set(false);
    RollbackEngine second = engine(c, counting(c));
    RollbackFinished o = handle(second, e);
    assertThat(moves.get()).isEqualTo(1);
    assertThat(o.status().label()).isEqualTo("succeeded");
    assertThat(o.detail()).endsWith("traffic had already been moved before a restart");
    assertThat(o.startedAt()).isEqualTo(firstStart);
    assertThat(published).containsExactly(o);
    assertThat(store.find(e.eventId(), e.breachId()).orElseThrow().state()).isEqualTo(DedupStore.State.FINISHED);
    // the restart kept the cooldown too
    assertThat(handle(second, breach("integrity-service", "green", 2)).detail()).startsWith("cooldown:");
    // and a third delivery is a duplicate
    assertThat(handle(second, e).detail()).startsWith("duplicate:");
    assertThat(moves.get()).isEqualTo(1);
  }

  @Test
  void runtimeWiredFromTheYamlRollbackSection() throws Exception {
    String yaml = Files.readString(dir.resolve("vigil.yaml")) + "rollback:\n"
        + "  validation: {consecutive: 3, timeout: 10s, interval: 100ms}\n"
        + "  dedupDir: state\n"
        + "  actuators:\n"
        + "    default: {type: simulator, url: \"" + sim.adminUrl() + "\"}\n";
    Files.writeString(dir.resolve("vigil.yaml"), yaml);
    VigilConfig withRollback = ConfigLoader.load(dir.resolve("vigil.yaml"), Map.of()).orElseThrow();
    OutcomeSink sink = o -> {
      published.add(o);
      return Future.succeededFuture();
    };
    Promise<RollbackController> started = Promise.promise();
    context.runOnContext(v -> RollbackController.start(vertx, withRollback, sink, registry, Clock.systemUTC(),
        () -> {
          throw new IllegalStateException("no Kubernetes here");
        }, null).onComplete(started));
    RollbackController runtime = TestVertx.await(started.future());
    try {
      RollbackFinished o = handle(runtime.engine(), breach("executive-council-service", "green", 1));
      assertThat(o.status().label()).isEqualTo("succeeded");
      assertThat(o.detail()).startsWith("blue attested compliant 3 times in a row");
      assertThat(sim.traffic().split("executive-council-service")).isEqualTo(new TrafficRouter.Split(0, 100));
      assertThat(dir.resolve("state").resolve(DedupStore.FILE)).isNotEmptyFile();
    } finally {
      Promise<Void> closed = Promise.promise();
      context.runOnContext(v -> runtime.close().onComplete(closed));
      TestVertx.await(closed.future());
    }
  }

  @Test
  void crashAfterTheSwitchButBeforeMovedWasRecordedWritesNothingTwice() throws Exception {
    // The previous life switched the router and died before recording MOVED: the store says NEW.
    sim.traffic().set("integrity-service", new TrafficRouter.Split(0, 100));
    RollbackConfig c = config();
    RollbackFinished o = handle(engine(c, counting(c)), breach("integrity-service", "green", 1));
    assertThat(o.status().label()).isEqualTo("succeeded");
    assertThat(o.detail()).endsWith("; simulator: simulator router integrity-service already blue 100");
  }

  @Test
  void metricsAreNamedPerMetricsV1AndPromtoolClean() throws Exception {
    RollbackConfig c = config();
    RollbackEngine engine = engine(c, counting(c));
    handle(engine, breach("integrity-service", "green", 1));
    handle(engine, breach("integrity-service", "blue", 2));
    engine.rejected("untrusted_event");
    engine.rejected("malformed");
    String scrape = registry.scrape();
    assertThat(scrape).contains(
        "# TYPE constitutional_rollbacks_total counter",
        "# TYPE constitutional_rollback_duration_seconds histogram",
        "constitutional_rollback_duration_seconds_bucket{service=\"integrity-service\",le=\"120.0\"} 2",
        "# TYPE constitutional_rollback_events_rejected_total counter",
        "constitutional_rollback_events_rejected_total{reason=\"untrusted_event\"} 1.0",
        "constitutional_rollback_events_rejected_total{reason=\"malformed\"} 1.0",
        "# TYPE constitutional_traffic_weight gauge",
        "constitutional_rollbacks_total{service=\"integrity-service\",status=\"skipped\"} 1.0");
    Assumptions.assumeTrue(Promtool.path().isPresent(), "promtool not on PATH (Debian package prometheus)");
    assertThat(Promtool.checkMetrics(scrape)).isEmpty();
  }
}
