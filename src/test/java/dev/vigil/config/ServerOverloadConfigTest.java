package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server}'s connection limits and the {@code overload} thresholds: defaults and given values. */
class ServerOverloadConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Nested
  class Server {
    @Test
    void limitsDefaultToACapAndTimeouts() {
      ServerConfig s = valid(withMinimalTargets(""), dir).server();
      assertThat(s.maxConnections()).isEqualTo(256);
      assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givenLimitsAreRead() {
      ServerConfig s = valid(withMinimalTargets("server: {maxConnections: 50, idleTimeout: 5s, requestTimeout: 2s}"), dir)
          .server();
      assertThat(s).isEqualTo(new ServerConfig("0.0.0.0", 9470, null, 50, Duration.ofSeconds(5), Duration.ofSeconds(2)));
    }
  }

  @Nested
  class Overload {
    @Test
    void thresholdsDefaultTo500msLoopDelayAnd1sQueueWait() {
      assertThat(valid(withMinimalTargets(""), dir).overload()).isEqualTo(
          new OverloadConfig(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(100)));
    }

    @Test
    void givenThresholdsAreRead() {
      assertThat(valid(withMinimalTargets("overload: {eventLoopDelay: 200ms, workerQueueWait: 3s, sampleInterval: 50ms}"),
          dir).overload()).isEqualTo(new OverloadConfig(Duration.ofMillis(200), Duration.ofSeconds(3), Duration.ofMillis(50)));
    }
  }
}
