package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Concurrent requests share one rendering; it is reused for the ttl unless the version moves. */
class SharedRenderTest {
  private final AtomicLong version = new AtomicLong();
  private final List<Promise<String>> started = new ArrayList<>();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final SharedRender<String> render = new SharedRender<>(Duration.ofSeconds(1), clock, version::get, () -> {
    Promise<String> p = Promise.promise();
    started.add(p);
    return p.future();
  });

  @Nested
  class Concurrent {
    @Test
    void aThousandRequestsDuringOneRenderShareIt() {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        answers.add(render.get());
      }
      assertThat(started).hasSize(1);
      started.get(0).complete("page-1");
      assertThat(answers).allSatisfy(f -> assertThat(f.result()).isEqualTo("page-1"));
      assertThat(render.renders()).isEqualTo(1);
    }

    @Test
    void aRequestSeeingANewerVersionWaitsForOneMoreRenderNotOverlappingTheFirst() {
      Future<String> first = render.get();
      version.incrementAndGet();
      Future<String> second = render.get();
      Future<String> third = render.get();
      assertThat(started).as("the second render waits for the first").hasSize(1);
      started.get(0).complete("v0");
      assertThat(first.result()).isEqualTo("v0");
      assertThat(started).hasSize(2);
      started.get(1).complete("v1");
      assertThat(second.result()).isEqualTo("v1");
      assertThat(third.result()).isEqualTo("v1");
    }
  }

  @Nested
  class Cache {
    @Test
    void reusedWithinTheTtlAndRenderedAgainAfterIt() {
      render.get();
      started.get(0).complete("a");
      clock.advance(Duration.ofMillis(999));
      assertThat(render.get().result()).isEqualTo("a");
      assertThat(started).hasSize(1);
      clock.advance(Duration.ofMillis(1));
      Future<String> later = render.get();
      assertThat(started).hasSize(2);
      started.get(1).complete("b");
      assertThat(later.result()).isEqualTo("b");
    }

    @Test
    void aSlowRenderIsReusedForTenTimesItsDuration() {
      render.get();
      clock.advance(Duration.ofMillis(300));
      started.get(0).complete("slow");
      clock.advance(Duration.ofMillis(2_699));
      assertThat(render.get().result()).as("2,999 ms after it started, under 10 × 300 ms").isEqualTo("slow");
      assertThat(started).hasSize(1);
      clock.advance(Duration.ofMillis(1));
      render.get();
      assertThat(started).hasSize(2);
    }

    @Test
    void aNewVersionIsRenderedAtOnceEvenWithinTheTtl() {
      render.get();
      started.get(0).complete("a");
      version.incrementAndGet();
      render.get();
      assertThat(started).hasSize(2);
    }

    @Test
    void aFailedRenderIsNotCached() {
      Future<String> failed = render.get();
      started.get(0).fail("boom");
      assertThat(failed.failed()).isTrue();
      render.get();
      assertThat(started).hasSize(2);
    }
  }
}
