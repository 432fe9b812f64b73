package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's attempts, stall threshold and dead-letter topic: defaults, read, errors by path. */
class ControllerConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  private VigilConfig load(String yaml) {
    return ConfigLoader.parse(yaml, dir, Map.of()).orElseThrow();
  }

  @Test
  void defaults() {
    VigilConfig c = load(ConfigFixtures.MINIMAL);
    assertThat(c.controller().maxAttempts()).isEqualTo(3);
    assertThat(c.controller().stallThreshold()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.kafka().deadLetterTopic()).isEqualTo("constitutional.breaches.dlq");
  }

  @Test
  void read() {
    VigilConfig c = load(withMinimalTargets("""
        controller: {maxAttempts: 5, stallThreshold: 10m}
        kafka: {deadLetterTopic: my.breaches.dlq}
        """));
    assertThat(c.controller().maxAttempts()).isEqualTo(5);
    assertThat(c.controller().stallThreshold()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.kafka().deadLetterTopic()).isEqualTo("my.breaches.dlq");
  }

  @Test
  void errorsAtTheirPaths() {
    assertThat(errors(withMinimalTargets("""
        controller: {maxAttempts: 0, stallThreshold: 0s}
        kafka: {deadLetterTopic: 'no spaces'}
        """), dir)).containsExactlyInAnyOrder("controller.maxAttempts: must be from 1 to 100, got 0",
            "controller.stallThreshold: must be greater than 0",
            "kafka.deadLetterTopic: not a valid Kafka topic name: letters, digits, '.', '_' and '-', at most 249");
    assertThat(errors(withMinimalTargets("kafka: {breachesTopic: b, deadLetterTopic: b}"), dir))
        .containsExactly("kafka.deadLetterTopic: must differ from breachesTopic (b)");
  }
}
