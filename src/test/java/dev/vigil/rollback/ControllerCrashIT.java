package dev.vigil.rollback;

import static dev.vigil.rollback.ControllerFixture.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.events.EventCodec;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.SignedEvent;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.sim.TrafficRouter;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import dev.vigil.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil rollback-controller} in a child JVM killed with {@code kill -9} while it validates
 * blue (blue tampered, so validation cannot succeed yet): after blue is repaired and the controller
 * restarted, the event is read again (its offset was never committed), traffic was moved exactly
 * once, and one {@code rollback.finished} (succeeded) is published and the offset committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ControllerCrashIT {
  @TempDir Path dir;

  @Test
  void killedWhileValidatingMovesTrafficOnceAndReportsAfterRestart(KafkaBroker broker) throws Exception {
    Vertx vertx = TestVertx.create();
    FleetSimulator sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of("integrity-service")).withEnvironments(List.of("green", "blue")).withBasePort(0)
        .withAdminPort(0)));
    String prefix = "it.crash-controller";
    String group = "it-crash-controller";
    TargetId blue = new TargetId("integrity-service", "blue");
    try (KafkaProducer<byte[], byte[]> producer = ControllerFixture.producer(broker.bootstrapServers());
        KafkaConsumer<byte[], byte[]> reader = ControllerFixture.reader(broker.bootstrapServers(), prefix + ".rollbacks")) {
      Path config = ControllerFixture.config(dir, sim, broker.bootstrapServers(), prefix, group,
          "  validation: {consecutive: 2, timeout: 60s, interval: 200ms}\n  executionTimeout: 90s\n");
      TestVertx.await(sim.setFault(blue, Fault.TAMPERED_HASH));
      SignedEvent signed = new EventCodec(MONITOR_KEY).sign(ControllerFixture.opened("integrity-service", "k"));
      try (ChildJvm first = new ChildJvm(dir.resolve("first.log"), "dev.vigil.cli.Main", "rollback-controller", "--config", config.toString())) {
        first.next("vigil rollback-controller", Duration.ofSeconds(60));
        ControllerFixture.send(producer, prefix + ".breaches", signed);
        // Moved to blue; blue is tampered, so the controller is validating when it dies.
        await().atMost(Duration.ofSeconds(60))
            .until(() -> sim.traffic().split("integrity-service").equals(new TrafficRouter.Split(0, 100)));
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(first.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.exitValue()).isEqualTo(137);
      }
      assertThat(ControllerFixture.committed(broker.bootstrapServers(), group, prefix + ".breaches")).isEqualTo(-1);
      TestVertx.await(sim.clearFault(blue));
      try (ChildJvm second = new ChildJvm(dir.resolve("second.log"), "dev.vigil.cli.Main", "rollback-controller", "--config", config.toString())) {
        second.next("vigil rollback-controller", Duration.ofSeconds(60));
        List<RollbackFinished> got = ControllerFixture.finished(reader, new ArrayList<>(), 1, Duration.ofSeconds(90));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).status()).isEqualTo(RollbackFinished.Status.SUCCEEDED);
        assertThat(got.get(0).breachEventId()).isEqualTo(signed.id());
        await().atMost(Duration.ofSeconds(30)).until(() ->
            ControllerFixture.committed(broker.bootstrapServers(), group, prefix + ".breaches") == 1);
        assertThat(sim.traffic().changes("integrity-service")).isEqualTo(1);
        assertThat(sim.traffic().split("integrity-service")).isEqualTo(new TrafficRouter.Split(0, 100));
        // Nothing more arrives: one rollback.finished for the one event.
        assertThat(reader.poll(Duration.ofSeconds(2)).count()).isZero();
      }
    } finally {
      TestVertx.await(sim.stop());
      TestVertx.await(vertx.close());
    }
  }
}
