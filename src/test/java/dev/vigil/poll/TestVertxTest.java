package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The blocked-event-loop guard the other tests rely on does catch code that holds the loop. */
class TestVertxTest {
  @Test
  void codeHoldingTheEventLoopIsReported() throws Exception {
    Vertx vertx = TestVertx.create();
    try {
      vertx.runOnContext(v -> holdTheLoop(Duration.ofMillis(900)));
      await().atMost(Duration.ofSeconds(10)).until(() -> !TestVertx.blocked(vertx).isEmpty());
      assertThat(TestVertx.blocked(vertx).get(0)).contains("holdTheLoop");
    } finally {
      TestVertx.await(vertx.close());
    }
  }

  private static void holdTheLoop(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
