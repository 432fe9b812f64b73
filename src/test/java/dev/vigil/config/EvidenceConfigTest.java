package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evidence}: on by default beside the file, given values, off on request, every error named by its YAML path. */
class EvidenceConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Nested
  class Values {
    @Test
    void defaultsToVigilEvidenceBesideTheFile() {
      EvidenceConfig e = valid(withMinimalTargets(""), dir).evidence();
      assertThat(e).isEqualTo(new EvidenceConfig(dir.toAbsolutePath().resolve("vigil-evidence").normalize(),
          Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofDays(400), 10L << 30));
      assertThat(e.enabled()).isTrue();
    }

    @Test
    void givenValuesAreRead() {
      EvidenceConfig e = valid(withMinimalTargets("evidence: {dir: /var/lib/vigil/evidence, sampleInterval: 10m,"
          + " flushInterval: 0s, checkpointInterval: 30s, retention: {maxAge: 90d, maxBytes: 512MiB}}"), dir).evidence();
      assertThat(e).isEqualTo(new EvidenceConfig(Path.of("/var/lib/vigil/evidence"), Duration.ofMinutes(10),
          Duration.ZERO, Duration.ofSeconds(30), Duration.ofDays(90), 512L << 20));
    }

    @Test
    void enabledFalseTurnsItOff() {
      assertThat(valid(withMinimalTargets("evidence: {enabled: false}"), dir).evidence().enabled()).isFalse();
    }

    @Test
    void aConfigurationBuiltInCodeRecordsNothing() {
      assertThat(EvidenceConfig.disabled().enabled()).isFalse();
    }

    @Test
    void sizesHaveDecimalAndBinaryUnits() {
      assertThat(EvidenceConfig.parseBytes("10GB")).isEqualTo(10_000_000_000L);
      assertThat(EvidenceConfig.parseBytes("3KiB")).isEqualTo(3072);
      assertThat(EvidenceConfig.parseBytes("123")).isEqualTo(123);
      assertThatThrownBy(() -> EvidenceConfig.parseBytes("10 gigs")).hasMessageContaining("not a size");
      assertThatThrownBy(() -> EvidenceConfig.parseBytes("999999999999999TiB")).hasMessageContaining("too large");
      assertThat(EvidenceConfig.formatBytes(10L << 30)).isEqualTo("10GiB");
    }
  }

  @Nested
  class Errors {
    @Test
    void unknownKeysAndBadValuesNameTheirPath() {
      assertThat(errors(withMinimalTargets("evidence: {directory: x, sampleInterval: 100ms, flushInterval: 2m,"
          + " checkpointInterval: 2d, retention: {maxAge: 10m, maxBytes: 1KiB, keep: all}}"), dir))
          .anyMatch(e -> e.startsWith("evidence.directory: unknown key; expected one of: enabled, dir, sampleInterval,"))
          .anyMatch(e -> e.startsWith("evidence.sampleInterval: must be from 1s to 7d, got 100ms"))
          .anyMatch(e -> e.startsWith("evidence.flushInterval: must be from 0s (fsync every entry) to 1m, got 2m"))
          .anyMatch(e -> e.startsWith("evidence.checkpointInterval: must be from 1s to 1d, got 48h"))
          .anyMatch(e -> e.startsWith("evidence.retention.maxAge: must be at least 1h, got 10m"))
          .anyMatch(e -> e.startsWith("evidence.retention.maxBytes: must be at least 1MiB, got 1KiB"))
          .anyMatch(e -> e.startsWith("evidence.retention.keep: unknown key; expected one of: maxAge, maxBytes"));
    }

    @Test
    void checkpointsNoMoreOftenThanFlushes() {
      assertThat(errors(withMinimalTargets("evidence: {flushInterval: 30s, checkpointInterval: 10s}"), dir))
          .containsExactly("evidence.checkpointInterval: must not be shorter than evidence.flushInterval (30s)");
    }

    @Test
    void badSizesAndEmptyDirectoriesAreRefused() {
      assertThat(errors(withMinimalTargets("evidence: {dir: ' ', retention: {maxBytes: lots}}"), dir))
          .containsExactlyInAnyOrder("evidence.dir: must not be empty",
              "evidence.retention.maxBytes: not a size: use a number of bytes with an optional unit, e.g. 512MiB or 10GB");
    }

    @Test
    void notAMappingIsNamed() {
      assertThat(errors(withMinimalTargets("evidence: yes"), dir))
          .anyMatch(e -> e.startsWith("evidence: expected a mapping with keys enabled, dir, sampleInterval"));
    }
  }
}
