package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.TrustStore;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.config.RollbackConfig;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.SignedEvent;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.Severity;
import dev.vigil.testing.LogCapture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a batch of events ({@link EngineBatch}): skips are published together and recorded
 * with one write, a rollback runs on its own in order, duplicates within the batch are recognised
 * before the batch is on disk, and a failure stops the batch at the first event not finished.
 */
class EngineBatchTest {
  @TempDir Path dir;
  Vertx vertx;
  Context context;
  PrometheusMeterRegistry registry;
  DedupStore store;
  RollbackEngine engine;
  final AtomicInteger moves = new AtomicInteger();
  /** Each publishAll call's outcomes. */
  final List<List<RollbackFinished>> batches = new CopyOnWriteArrayList<>();
  final List<RollbackFinished> published = new CopyOnWriteArrayList<>();
  /** The sink fails the outcome published at this position (0-based, over the whole test), -1 never. */
  volatile int failAt = -1;

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    context = vertx.getOrCreateContext();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RollbackConfig d = RollbackConfig.defaults();
    RollbackConfig c = new RollbackConfig(Set.of(), Set.of(Severity.CRITICAL), Duration.ofMinutes(10), 3,
        Duration.ofMinutes(10), false, 2, Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofSeconds(20),
        dir.resolve("dedup"), d.dedupRetention(), "green", "blue", d.critical(), Map.of(), null, Map.of(),
        d.maxEventAge(), d.maxClockSkew());
    store = DedupStore.open(c.dedupDir(), c.dedupRetention(), Instant.now());
    Actuator fake = new Actuator() {
      @Override
      public Future<ActuationResult> moveToBlue(String service, String breachId) {
        moves.incrementAndGet();
        return Future.succeededFuture(new ActuationResult(Weights.ALL_BLUE, true, "moved"));
      }

      @Override
      public Future<Weights> weights(String service) {
        return Future.succeededFuture(new Weights(100, 0));
      }

      @Override
      public String type() {
        return "fake";
      }
    };
    BlueProbe compliant = service -> Future.succeededFuture(
        new Verification(Verdict.COMPLIANT, "ok", true, List.of("k"), null));
    BlueValidation validation = new BlueValidation(vertx, compliant, 2, Duration.ofSeconds(10),
        Duration.ofMillis(10), Clock.systemUTC());
    OutcomeSink sink = new OutcomeSink() {
      @Override
      public Future<Void> publish(RollbackFinished o) {
        return publishAll(List.of(o)).compose(r -> r.get(0) == null ? Future.succeededFuture()
            : Future.failedFuture(r.get(0)));
      }

      @Override
      public Future<List<Throwable>> publishAll(List<RollbackFinished> outcomes) {
        batches.add(List.copyOf(outcomes));
        List<Throwable> results = new ArrayList<>();
        for (RollbackFinished o : outcomes) {
          if (published.size() + results.size() == failAt) {
            results.add(new IllegalStateException("record too large"));
          } else {
            results.add(null);
          }
        }
        for (int i = 0; i < outcomes.size(); i++) {
          if (results.get(i) == null) {
            published.add(outcomes.get(i));
          }
        }
        return Future.succeededFuture(results);
      }
    };
    engine = new RollbackEngine(vertx, c, new Guards(c), store, s -> fake, validation, sink,
        new RollbackMetrics(registry), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
    TestVertx.await(vertx.close());
    registry.close();
  }

  static BreachEvent event(String service, String severity) {
    return new BreachEvent("evt-" + service, "b-" + service, service, "green", "hash_mismatch", severity,
        Instant.now());
  }

  BatchHandler.Handled run(List<EngineBatch.Item> items) throws Exception {
    Promise<BatchHandler.Handled> p = Promise.promise();
    context.runOnContext(v -> engine.handleAll(items).onComplete(p));
    return TestVertx.await(p.future());
  }

  static List<String> statuses(List<RollbackFinished> outcomes) {
    return outcomes.stream().map(o -> o.service() + " " + o.detail().split(":")[0]).toList();
  }

  @Test
  void skipsArePublishedTogetherAndARollbackRunsInOrderBetweenThem() throws Exception {
    BreachEvent warnA = event("a", "warning");
    BreachEvent warnB = event("b", "warning");
    BreachEvent crit = event("c", "critical");
    List<EngineBatch.Item> items = new ArrayList<>();
    for (BreachEvent e : List.of(warnA, warnB, warnA, warnB, crit, crit, warnA)) {
      items.add(new EngineBatch.Item(e, null));
    }
    items.add(2, null); // a record with nothing to do (rejected, or a breach.resolved)

    assertThat(run(items)).isEqualTo(BatchHandler.Handled.all(8));

    assertThat(statuses(published)).containsExactly("a not_rollbackable", "b not_rollbackable", "a duplicate",
        "b duplicate", "c blue attested compliant 2 times in a row; fake", "c duplicate", "a duplicate");
    assertThat(batches).as("one publish for the skips before the rollback, its own, one for the skips after")
        .extracting(List::size).containsExactly(4, 1, 2);
    assertThat(moves).hasValue(1);
    for (BreachEvent e : List.of(warnA, warnB, crit)) {
      assertThat(store.find(e.eventId(), e.breachId()).orElseThrow().state()).isEqualTo(DedupStore.State.FINISHED);
    }
    assertThat(store.entries()).hasSize(3);
    assertThat(registry.scrape()).contains("constitutional_rollback_events_rejected_total{reason=\"duplicate\"} 4.0",
        "constitutional_rollbacks_total{service=\"a\",status=\"skipped\"} 3.0");
  }

  @Test
  void aBatchAfterAnotherSeesItsSkipsOnDisk() throws Exception {
    BreachEvent warn = event("a", "warning");
    assertThat(run(List.of(new EngineBatch.Item(warn, null)))).isEqualTo(BatchHandler.Handled.all(1));
    assertThat(run(List.of(new EngineBatch.Item(warn, null), new EngineBatch.Item(warn, "breach.resolved x"))))
        .isEqualTo(BatchHandler.Handled.all(2));
    assertThat(statuses(published)).containsExactly("a not_rollbackable", "a duplicate", "a duplicate");
  }

  @Nested
  class Failures {
    @Test
    void anOutcomeNotAcknowledgedStopsTheBatchThereAndOnlyWhatCameBeforeIsRecorded() throws Exception {
      failAt = 2;
      List<EngineBatch.Item> items = new ArrayList<>();
      for (String s : List.of("a", "b", "c", "d")) {
        items.add(new EngineBatch.Item(event(s, "warning"), null));
      }
      BatchHandler.Handled h = run(items);
      assertThat(h.count()).isEqualTo(2);
      assertThat(h.failure()).hasMessage("record too large");
      assertThat(store.entries()).extracting(DedupStore.Entry::service).containsExactly("a", "b");
    }

    @Test
    void aStoreThatCannotWriteFinishesNothingOfTheGroup() throws Exception {
      List<EngineBatch.Item> items = new ArrayList<>();
      items.add(null);
      items.add(new EngineBatch.Item(event("a", "warning"), null));
      items.add(new EngineBatch.Item(event("b", "warning"), null));
      store.close();
      BatchHandler.Handled h = run(items);
      assertThat(h.count()).as("the first record had nothing to do").isEqualTo(1);
      assertThat(h.failure()).isInstanceOf(IOException.class);
      assertThat(DeadLetters.retriable(h.failure())).isTrue();
      store = DedupStore.open(dir.resolve("dedup"), Duration.ofDays(7), Instant.now());
      assertThat(store.entries()).isEmpty();
    }
  }

  /**
   * The controller's batch path from the Kafka records on ({@link BreachRecords#handleAll}): each
   * record decided is one line of {@code dev.vigil.rollback.Decisions}, at its level, with its fields.
   */
  @Nested
  class DecisionLines {
    private static final String DECISIONS = "dev.vigil.rollback.Decisions";

    private ConsumerRecord<byte[], byte[]> record(long offset, String key, byte[] value, List<Header> headers) {
      return new ConsumerRecord<>("it.breaches", 0, offset, -1L, TimestampType.CREATE_TIME, -1, -1,
          key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(headers), Optional.empty());
    }

    private BatchHandler.Handled handleAll(List<ConsumerRecord<byte[], byte[]>> batch) throws Exception {
      BreachRecords records = new BreachRecords(engine, TrustStore.of(ControllerFixture.MONITOR_KEY.trusted()),
          Clock.systemUTC());
      Promise<BatchHandler.Handled> p = Promise.promise();
      context.runOnContext(v -> records.handleAll(batch, List.of()).onComplete(p));
      return TestVertx.await(p.future());
    }

    @Test
    void aSucceededADuplicateAForgedAndAMalformedRecordAreOneLineEach() throws Exception {
      CloudEvent opened = ControllerFixture.opened("integrity-service", "batch");
      BreachData breach = (BreachData) opened.data();
      SignedEvent genuine = new EventCodec(ControllerFixture.MONITOR_KEY).sign(opened);
      SignedEvent forged = new EventCodec(ControllerFixture.STRANGER_KEY)
          .sign(ControllerFixture.opened("auth-service", "forged"));
      List<ConsumerRecord<byte[], byte[]>> batch = List.of(
          record(10, genuine.key(), genuine.value(), genuine.headers()),
          record(11, genuine.key(), genuine.value(), genuine.headers()), // redelivered
          record(12, forged.key(), forged.value(), forged.headers()),
          record(13, "x", "{\"not\": \"an envelope\"}".getBytes(StandardCharsets.UTF_8), List.of()));

      List<LogCapture.Line> lines;
      try (LogCapture logs = LogCapture.begin()) {
        assertThat(handleAll(batch)).isEqualTo(BatchHandler.Handled.all(4));
        lines = logs.lines(DECISIONS, l -> true);
      }

      assertThat(lines).as("one line per record: %s", lines).hasSize(4);
      assertThat(lines).filteredOn(l -> "succeeded".equals(l.fields().get("decision"))).singleElement()
          .satisfies(l -> {
            assertThat(l.level()).isEqualTo("INFO");
            assertThat(l.fields()).containsEntry("service", "integrity-service").containsEntry("environment", "green")
                .containsEntry("breachId", breach.breachId()).containsEntry("eventId", opened.id())
                .containsEntry("status", "succeeded").containsKey("rollbackId").doesNotContainKey("reason");
            assertThat(l.message()).startsWith("rollback succeeded integrity-service green->blue for breach "
                + breach.breachId());
          });
      List<LogCapture.Line> rejected = lines.stream().filter(l -> "rejected".equals(l.fields().get("decision")))
          .toList();
      assertThat(rejected).as("the rejections").hasSize(3).allSatisfy(l -> assertThat(l.level()).isEqualTo("WARN"));
      assertThat(rejected).filteredOn(l -> "duplicate".equals(l.fields().get("reason"))).singleElement()
          .satisfies(l -> {
            assertThat(l.fields()).containsEntry("service", "integrity-service")
                .containsEntry("breachId", breach.breachId()).containsEntry("eventId", opened.id());
            assertThat(l.message()).startsWith("rollback REJECTED duplicate integrity-service");
          });
      assertThat(rejected).filteredOn(l -> "untrusted_event".equals(l.fields().get("reason"))).singleElement()
          .satisfies(l -> assertThat(l.message()).startsWith("breaches record it.breaches-0@12 REJECTED, not acted on"
              + " (untrusted_event)"));
      assertThat(rejected).filteredOn(l -> "malformed".equals(l.fields().get("reason"))).singleElement()
          .satisfies(l -> assertThat(l.message()).startsWith("breaches record it.breaches-0@13 REJECTED, not acted on"
              + " (malformed)"));
      assertThat(moves).as("the genuine event rolled back once").hasValue(1);
    }
  }
}
