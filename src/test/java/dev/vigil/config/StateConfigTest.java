package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state}: defaults, given values, and every error named by its YAML path. */
class StateConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Nested
  class Values {
    @Test
    void defaultsToVigilStateBesideTheFileEvery5sTrustedFor1h() {
      StateConfig s = valid(withMinimalTargets(""), dir).state();
      assertThat(s).isEqualTo(new StateConfig(dir.toAbsolutePath().resolve("vigil-state").normalize(),
          Duration.ofSeconds(5), Duration.ofHours(1)));
      assertThat(s.enabled()).isTrue();
    }

    @Test
    void givenValuesAreRead() {
      StateConfig s = valid(withMinimalTargets("state: {dir: /var/lib/vigil/state, flushInterval: 250ms, maxAge: 10m}"),
          dir).state();
      assertThat(s).isEqualTo(new StateConfig(Path.of("/var/lib/vigil/state"), Duration.ofMillis(250),
          Duration.ofMinutes(10)));
    }

    @Test
    void aConfigurationBuiltInCodeKeepsNoState() {
      assertThat(StateConfig.disabled().enabled()).isFalse();
    }
  }

  @Nested
  class Errors {
    @Test
    void unknownKeysAndBadValuesNameTheirPath() {
      assertThat(errors(withMinimalTargets("state: {directory: x, flushInterval: 1ms, maxAge: often}"), dir))
          .anyMatch(e -> e.startsWith("state.directory: unknown key; expected one of: dir, flushInterval, maxAge"))
          .anyMatch(e -> e.startsWith("state.flushInterval: must be from 100ms to 10m"))
          .anyMatch(e -> e.startsWith("state.maxAge:"));
    }

    @Test
    void maxAgeMustOutlastTheFlushInterval() {
      assertThat(errors(withMinimalTargets("state: {flushInterval: 2m, maxAge: 1m}"), dir))
          .containsExactly("state.maxAge: must be longer than state.flushInterval (2m)");
    }

    @Test
    void anEmptyDirectoryIsRefused() {
      assertThat(errors(withMinimalTargets("state: {dir: ' '}"), dir)).containsExactly("state.dir: must not be empty");
    }
  }
}
