package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.TrustStore;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.vigil.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publishing process killed with {@code kill -9} after its events were written to the outbox
 * and before Kafka acknowledged them (the broker is down): after the broker and the process come
 * back, every event is delivered. The child is a real JVM on the test classpath ({@link OutboxChild}).
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublisherCrashIT {
  @TempDir Path dir;

  @Test
  void eventsWrittenButNotAcknowledgedSurviveKillMinus9(KafkaBroker broker) throws Exception {
    String topic = "it.crash";
    Path key = dir.resolve("event-key.pem");
    Files.writeString(key, MONITOR_KEY.privatePem());
    Path outbox = dir.resolve("outbox");
    List<String> durable = new ArrayList<>();
    broker.stop();
    try {
      try (ChildJvm writer = new ChildJvm(dir.resolve("writer.log"), OutboxChild.class.getName(), "write", broker.bootstrapServers(), outbox.toString(),
          key.toString(), topic, "3")) {
        for (int i = 0; i < 3; i++) {
          durable.add(writer.next("DURABLE ", Duration.ofSeconds(60)).substring("DURABLE ".length()));
        }
        assertThat(writer.next("PENDING ", Duration.ofSeconds(10))).isEqualTo("PENDING 3");
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(writer.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.process.exitValue()).isEqualTo(137);
      }
    } finally {
      broker.start();
    }
    try (ChildJvm drainer = new ChildJvm(dir.resolve("drainer.log"), OutboxChild.class.getName(), "drain", broker.bootstrapServers(), outbox.toString(),
        key.toString(), topic)) {
      assertThat(drainer.next("PENDING ", Duration.ofSeconds(60))).isEqualTo("PENDING 3");
      drainer.next("DRAINED", Duration.ofSeconds(60));
    }
    List<ConsumerRecord<byte[], byte[]>> got = TopicReader.read(broker.bootstrapServers(), topic,
        Duration.ofSeconds(30), l -> l.size() >= 3);
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : got) {
      EventCodec.Decoded d = EventCodec.verify(r.value(), TrustStore.of(MONITOR_KEY.trusted()), Instant.now());
      assertThat(d).isInstanceOf(EventCodec.Accepted.class);
      ids.add(((EventCodec.Accepted) d).event().id());
    }
    assertThat(ids.stream().distinct().toList()).containsExactlyElementsOf(durable);
  }
}
