package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.score.TargetId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private Vertx vertx;
  private Context ctx;

  @BeforeEach
  void setUp() {
    vertx = TestVertx.create();
    ctx = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(vertx.close());
    assertThat(TestVertx.blocked(vertx)).as("event loop blocked").isEmpty();
  }

  private static TargetId id(int i) {
    return new TargetId("svc-" + i, "green");
  }

  @Test
  void everyTargetRunsRepeatedlyAtItsInterval() {
    Map<TargetId, AtomicInteger> runs = new ConcurrentHashMap<>();
    ctx.runOnContext(v -> {
      Scheduler s = new Scheduler(vertx, 10, 0.5, new Random(1), lag -> { });
      for (int i = 0; i < 5; i++) {
        TargetId t = id(i);
        runs.put(t, new AtomicInteger());
        s.schedule(t, Duration.ofMillis(100), () -> {
          runs.get(t).incrementAndGet();
          return Future.succeededFuture();
        });
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 5 && runs.values().stream().allMatch(c -> c.get() >= 3));
  }

  @Test
  void neverMoreThanTheConcurrencyLimitInFlight() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ctx.runOnContext(v -> {
      Scheduler s = new Scheduler(vertx, 3, 0.0, new Random(2), lag -> { });
      for (int i = 0; i < 12; i++) {
        s.schedule(id(i), Duration.ofSeconds(60), () -> {
          maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          Promise<Void> p = Promise.promise();
          vertx.setTimer(30, t -> {
            inFlight.decrementAndGet();
            done.incrementAndGet();
            p.complete();
          });
          return p.future();
        });
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 12);
    assertThat(maxSeen.get()).isEqualTo(3);
  }

  @Test
  void everyFirstStartHappensAndLagIsReportedNeverNegative() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    List<Duration> lags = new CopyOnWriteArrayList<>();
    ctx.runOnContext(v -> {
      Scheduler s = new Scheduler(vertx, 100, 1.0, new Random(3), lags::add);
      for (int i = 0; i < 40; i++) {
        s.schedule(id(i), Duration.ofMillis(200), () -> {
          starts.add(System.nanoTime());
          return Future.succeededFuture();
        });
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> starts.size() >= 40);
    assertThat(lags).hasSizeGreaterThanOrEqualTo(40).allMatch(l -> !l.isNegative());
  }

  @Test
  void aTargetWhosePollFoundItSilentIsHeldToTheSilentBudget() {
    AtomicInteger silentInFlight = new AtomicInteger();
    AtomicInteger maxSilent = new AtomicInteger();
    AtomicInteger healthyRuns = new AtomicInteger();
    List<Promise<PollResult>> hanging = new CopyOnWriteArrayList<>();
    java.util.Set<TargetId> polledOnce = ConcurrentHashMap.newKeySet();
    ctx.runOnContext(v -> {
      Scheduler s = new Scheduler(vertx, 4, 0.0, new Random(5), lag -> { });
      for (int i = 0; i < 8; i++) {
        TargetId t = id(i);
        s.schedule(t, Duration.ofMillis(50), () -> {
          if (polledOnce.add(t)) {
            return Future.succeededFuture(silentResult(t));
          }
          maxSilent.accumulateAndGet(silentInFlight.incrementAndGet(), Math::max);
          Promise<PollResult> p = Promise.promise();
          hanging.add(p);
          return p.future();
        });
      }
      s.schedule(id(99), Duration.ofMillis(50), () -> {
        healthyRuns.incrementAndGet();
        return Future.succeededFuture();
      });
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> healthyRuns.get() >= 10);
    assertThat(maxSilent.get()).as("silent polls in flight at once").isEqualTo(1);
    hanging.forEach(p -> ctx.runOnContext(v -> p.tryComplete(silentResult(id(0)))));
  }

  private static PollResult silentResult(TargetId t) {
    return new PollResult(t, new dev.vigil.attest.Verification(dev.vigil.attest.Verdict.TIMEOUT, "no answer", false,
        List.of(), null), false, Duration.ofMillis(5), java.time.Instant.EPOCH, 1);
  }

  @Test
  void aTargetNeverOverlapsItsOwnPreviousPollAndUnscheduleStopsIt() {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    Scheduler[] holder = new Scheduler[1];
    ctx.runOnContext(v -> {
      holder[0] = new Scheduler(vertx, 10, 0.0, new Random(4), lag -> { });
      holder[0].schedule(id(0), Duration.ofMillis(20), () -> {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        runs.incrementAndGet();
        Promise<Void> p = Promise.promise();
        vertx.setTimer(60, t -> {
          concurrent.decrementAndGet();
          p.complete();
        });
        return p.future();
      });
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 4);
    ctx.runOnContext(v -> holder[0].unschedule(id(0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> concurrent.get() == 0);
    int after = runs.get();
    assertThat(maxConcurrent.get()).isEqualTo(1);
    Promise<Void> later = Promise.promise();
    vertx.setTimer(200, t -> later.complete());
    await().atMost(Duration.ofSeconds(5)).until(() -> later.future().isComplete());
    assertThat(runs.get()).isEqualTo(after);
  }
}
