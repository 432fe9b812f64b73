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

  /** What the controller needs besides its own section, so that the section alone reads cleanly. */
  private static final String CONTROLLER_NEEDS = """
      kafka: {bootstrapServers: '127.0.0.1:9092'}
      events: {signingKey: private.pem}
      """;

  @Test
  void read() {
    VigilConfig c = load(withMinimalTargets("""
        controller: {maxAttempts: 5, stallThreshold: 10m, trustedMonitorKeys: [{file: ed1.pub.pem}]}
        kafka: {deadLetterTopic: my.breaches.dlq, bootstrapServers: '127.0.0.1:9092'}
        events: {signingKey: private.pem}
        """));
    assertThat(c.controller().maxAttempts()).isEqualTo(5);
    assertThat(c.controller().stallThreshold()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.kafka().deadLetterTopic()).isEqualTo("my.breaches.dlq");
  }

  @Test
  void errorsAtTheirPaths() {
    assertThat(errors(withMinimalTargets("""
        controller: {maxAttempts: 0, stallThreshold: 0s, trustedMonitorKeys: [{file: ed1.pub.pem}]}
        kafka: {deadLetterTopic: 'no spaces', bootstrapServers: '127.0.0.1:9092'}
        events: {signingKey: private.pem}
        """), dir)).containsExactlyInAnyOrder("controller.maxAttempts: must be from 1 to 100, got 0",
            "controller.stallThreshold: must be greater than 0",
            "kafka.deadLetterTopic: not a valid Kafka topic name: letters, digits, '.', '_' and '-', at most 249");
    assertThat(errors(withMinimalTargets("kafka: {breachesTopic: b, deadLetterTopic: b}"), dir))
        .containsExactly("kafka.deadLetterTopic: must differ from breachesTopic (b)");
  }
  @Test
  void aControllerSectionBringsTheControllersNeedsIntoTheCheck() {
    assertThat(errors(withMinimalTargets("controller: {consumerGroup: g}"), dir)).containsExactly(
        "kafka.bootstrapServers: required by the rollback controller (it consumes the breaches topic)",
        "events.signingKey: required by the rollback controller (it signs its rollback.finished events with it)",
        "controller.trustedMonitorKeys: required by the rollback controller: the public keys of the monitors whose "
            + "breach events it acts on, e.g. [{file: monitor-0.event.pub.pem}]");
    assertThat(errors(withMinimalTargets(CONTROLLER_NEEDS + "controller: {trustedMonitorKeys: [{file: ed1.pub.pem}]}"),
        dir)).isEmpty();
  }

  @Test
  void withoutAControllerSectionNothingIsRequired() {
    assertThat(errors(ConfigFixtures.MINIMAL, dir)).isEmpty();
    assertThat(ControllerConfig.requirements(load(ConfigFixtures.MINIMAL))).extracting(ConfigError::path)
        .containsExactly("kafka.bootstrapServers", "events.signingKey", "controller.trustedMonitorKeys");
  }

  @Test
  void aNeedAlreadyReportedIsNotReportedTwice() {
    assertThat(errors(withMinimalTargets("""
        kafka: {bootstrapServers: '127.0.0.1:9092'}
        controller: {trustedMonitorKeys: [{file: nope.pem}]}
        """), dir)).satisfiesExactlyInAnyOrder(
            e -> assertThat(e).startsWith("events: required when kafka.bootstrapServers is set"),
            e -> assertThat(e).startsWith("controller.trustedMonitorKeys[0].file: cannot read"));
  }
}
