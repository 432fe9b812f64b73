package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.vigil.state.StateFixtures.A;
import static dev.vigil.state.StateFixtures.B;
import static dev.vigil.state.StateFixtures.NOW;
import static dev.vigil.state.StateFixtures.snapshot;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.StateConfig;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import dev.vigil.testing.ManualClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper on a real Vert.x and a real local store: age at restore, the flush interval, close. */
class StateKeeperTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock(NOW);
  final List<String> restored = new CopyOnWriteArrayList<>();
  Vertx vertx;
  Context context;
  CountingStore store;

  /** The real local store, counting saves (a decorator, not a mock). */
  static final class CountingStore implements StateStore {
    final LocalStateStore inner;
    final AtomicInteger saves = new AtomicInteger();
    volatile boolean closed;

    CountingStore(LocalStateStore inner) {
      this.inner = inner;
    }

    @Override
    public String source() {
      return inner.source();
    }

    @Override
    public Map<TargetId, TargetSnapshot> load(Predicate<TargetId> which) throws IOException {
      return inner.load(which);
    }

    @Override
    public void save(Collection<TargetSnapshot> snapshots) throws IOException {
      saves.incrementAndGet();
      inner.save(snapshots);
    }

    @Override
    public void drop(Collection<TargetId> targets) throws IOException {
      inner.drop(targets);
    }

    @Override
    public void close() throws IOException {
      closed = true;
      inner.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    context = vertx.getOrCreateContext();
    store = new CountingStore(LocalStateStore.open(dir, clock));
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
    assertThat(TestVertx.blocked(vertx)).isEmpty();
    TestVertx.await(vertx.close());
  }

  StateKeeper keeper(Duration flush, Duration maxAge) throws Exception {
    return on(() -> Future.succeededFuture(new StateKeeper(vertx, store, new StateConfig(dir, flush, maxAge), clock,
        (id, at) -> Optional.of(snapshot(id, at)), (source, n) -> restored.add(source + "+" + n))));
  }

  /** Runs {@code action} on the keeper's context and waits for its future. */
  <T> T on(Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> action.get().onComplete(r -> {
      if (r.succeeded()) {
        out.complete(r.result());
      } else {
        out.completeExceptionally(r.cause());
      }
    }));
    return out.get(30, TimeUnit.SECONDS);
  }

  @Nested
  class MaxAge {
    @Test
    void aStaleSnapshotKeepsOnlyItsOpenBreachesAndIsNotCountedAsRestored() throws Exception {
      store.save(List.of(snapshot(A, NOW.minus(Duration.ofHours(2))), snapshot(B, NOW.minusSeconds(30))));
      StateKeeper k = keeper(Duration.ofSeconds(5), Duration.ofHours(1));
      StateKeeper.Loaded loaded = on(() -> k.load(id -> true));
      assertThat(loaded.fresh()).containsOnlyKeys(B);
      assertThat(loaded.fresh().get(B)).isEqualTo(snapshot(B, NOW.minusSeconds(30)));
      TargetSnapshot stale = loaded.staleBreaches().get(A);
      assertThat(stale.memory().window()).isEmpty();
      assertThat(stale.consecutiveFailures()).isEmpty();
      assertThat(stale.lastSequence()).isNull();
      assertThat(stale.openBreaches()).extracting(Breach::breachId).containsExactly("b-auth-service");
      assertThat(loaded.all()).containsOnlyKeys(A, B);
      assertThat(restored).containsExactly("local+0", "local+1");
    }

    @Test
    void discardingStaleStateIsOneInfoLineForAllOfThemAndNothingWhenAllAreFresh() throws Exception {
      TargetId c = new TargetId("policy-governance-service", "green");
      store.save(List.of(snapshot(A, NOW.minus(Duration.ofHours(2))), snapshot(c, NOW.minus(Duration.ofHours(3))),
          snapshot(B, NOW.minusSeconds(30))));
      StateKeeper k = keeper(Duration.ofSeconds(5), Duration.ofHours(1));
      try (dev.vigil.testing.LogCapture log = dev.vigil.testing.LogCapture.begin()) {
        on(() -> k.load(id -> true));
        assertThat(log.lines(StateKeeper.class.getName(), l -> true)).singleElement().satisfies(l -> {
          assertThat(l.level()).isEqualTo("INFO");
          assertThat(l.message()).contains("state of 2 target(s) discarded: saved more than state.maxAge (PT1H) ago")
              .contains("the oldest at " + NOW.minus(Duration.ofHours(3)));
        });
      }
      store.save(List.of(snapshot(A, NOW.minusSeconds(5)), snapshot(c, NOW.minusSeconds(5))));
      try (dev.vigil.testing.LogCapture log = dev.vigil.testing.LogCapture.begin()) {
        on(() -> k.load(id -> true));
        assertThat(log.lines(StateKeeper.class.getName(), l -> true)).isEmpty();
      }
    }

    @Test
    void aSnapshotSavedAfterNowByAClockAheadDoesNotJudgeEither() throws Exception {
      store.save(List.of(snapshot(A, NOW.plusSeconds(600))));
      StateKeeper k = keeper(Duration.ofSeconds(5), Duration.ofHours(1));
      StateKeeper.Loaded loaded = on(() -> k.load(id -> true));
      assertThat(loaded.fresh()).isEmpty();
      assertThat(loaded.staleBreaches().get(A).memory().window()).isEmpty();
      assertThat(loaded.staleBreaches().get(A).openBreaches()).hasSize(1);
    }

    @Test
    void exactlyMaxAgeOldIsStale() throws Exception {
      store.save(List.of(snapshot(A, NOW.minus(Duration.ofHours(1)))));
      StateKeeper k = keeper(Duration.ofSeconds(5), Duration.ofHours(1));
      assertThat(on(() -> k.load(id -> true)).fresh()).isEmpty();
    }
  }

  @Nested
  class Flushing {
    @Test
    void changedTargetsAreSavedByTheTimerAtMostOncePerInterval() throws Exception {
      StateKeeper k = keeper(Duration.ofMillis(300), Duration.ofHours(1));
      long started = System.nanoTime();
      long timer = on(() -> {
        k.start();
        return Future.succeededFuture(vertx.setPeriodic(10, id -> {
          k.changed(A);
          k.changed(B);
        }));
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> store.saves.get() >= 3);
      on(() -> {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
      });
      int saves = store.saves.get();
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(saves).as("saves in %d ms", elapsedMs).isLessThanOrEqualTo((int) (elapsedMs / 300) + 1);
      assertThat(store.load(id -> true)).containsOnlyKeys(A, B);
      on(k::close);
    }

    @Test
    void nothingChangedNothingSaved() throws Exception {
      StateKeeper k = keeper(Duration.ofMillis(100), Duration.ofHours(1));
      on(() -> {
        k.start();
        return Future.succeededFuture();
      });
      on(() -> k.flushChanged());
      assertThat(store.saves.get()).isZero();
      on(k::close);
      assertThat(store.closed).isTrue();
    }

    @Test
    void flushSavesTheGivenTargetsAtOnceAndCloseSavesWhatChanged() throws Exception {
      StateKeeper k = keeper(Duration.ofMinutes(10), Duration.ofHours(1));
      on(() -> k.flush(List.of(A)));
      assertThat(store.load(id -> true)).containsOnlyKeys(A);
      on(() -> {
        k.changed(B);
        return k.close();
      });
      assertThat(store.closed).isTrue();
      try (LocalStateStore reopened = LocalStateStore.open(dir, clock)) {
        assertThat(reopened.load(id -> true)).containsOnlyKeys(A, B);
      }
    }

    @Test
    void dropTombstones() throws Exception {
      StateKeeper k = keeper(Duration.ofMinutes(10), Duration.ofHours(1));
      on(() -> k.flush(List.of(A, B)));
      on(() -> k.drop(List.of(A)));
      assertThat(store.load(id -> true)).containsOnlyKeys(B);
      on(k::close);
    }
  }
}
