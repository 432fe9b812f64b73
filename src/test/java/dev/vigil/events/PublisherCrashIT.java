package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.TrustStore;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  /** A child JVM whose stdout lines arrive in a queue. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Child(Path log, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), OutboxChild.class.getName()));
      cmd.addAll(List.of(args));
      process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null;) {
            lines.add(l);
          }
        } catch (IOException ignored) {
          // the process died
        }
      }, "child-stdout");
      t.setDaemon(true);
      t.start();
    }

    /** The next line starting with {@code prefix}, waiting at most {@code max}. */
    String next(String prefix, Duration max) throws InterruptedException {
      long end = System.nanoTime() + max.toNanos();
      while (System.nanoTime() < end) {
        String l = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (l != null && l.startsWith(prefix)) {
          return l;
        }
      }
      throw new AssertionError("no line " + prefix + " within " + max + " (alive=" + process.isAlive() + ")");
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  @Test
  void eventsWrittenButNotAcknowledgedSurviveKillMinus9(KafkaBroker broker) throws Exception {
    String topic = "it.crash";
    Path key = dir.resolve("event-key.pem");
    Files.writeString(key, MONITOR_KEY.privatePem());
    Path outbox = dir.resolve("outbox");
    List<String> durable = new ArrayList<>();
    broker.stop();
    try {
      try (Child writer = new Child(dir.resolve("writer.log"), "write", broker.bootstrapServers(), outbox.toString(),
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
    try (Child drainer = new Child(dir.resolve("drainer.log"), "drain", broker.bootstrapServers(), outbox.toString(),
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
