package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.KafkaConfig;
import dev.vigil.monitor.MonitorMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
  @TempDir Path dir;

  private static SignedEvent event(int n) {
    String service = "svc-" + (n % 3);
    return new SignedEvent("id-" + n, CloudEvent.BREACH_OPENED, "vigil://monitor/m", service,
        ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> ids(List<Outbox.Entry> entries) {
    return entries.stream().map(e -> e.event().id()).toList();
  }

  @Test
  void appendAcknowledgeAndRecoverKeepOrder() throws IOException {
    try (Outbox o = Outbox.open(dir, 100)) {
      for (int i = 0; i < 5; i++) {
        assertThat(o.append(event(i))).isEqualTo(new Outbox.Written(i + 1));
      }
      o.acknowledge(List.of(1L, 3L));
      assertThat(ids(o.pending(10))).containsExactly("id-1", "id-3", "id-4");
      assertThat(ids(o.pending(2))).containsExactly("id-1", "id-3");
    }
    try (Outbox o = Outbox.open(dir, 100)) {
      assertThat(o.pending(10)).extracting(Outbox.Entry::event).containsExactly(event(1), event(3), event(4));
      assertThat(o.append(event(5))).isEqualTo(new Outbox.Written(6));
      assertThat(o.truncatedBytes()).isZero();
    }
  }

  @Test
  void aTornTailIsTruncatedAndEverythingBeforeItKept() throws IOException {
    try (Outbox o = Outbox.open(dir, 100)) {
      for (int i = 0; i < 4; i++) {
        o.append(event(i));
      }
      o.acknowledge(List.of(1L));
    }
    Path file = dir.resolve(Outbox.FILE);
    long intact = Files.size(file);
    // a crash in the middle of the next append: header and half a payload
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.allocate(12).putInt(200).putInt(0x1234).putInt(7).flip());
    }
    try (Outbox o = Outbox.open(dir, 100)) {
      assertThat(o.truncatedBytes()).isEqualTo(12);
      assertThat(ids(o.pending(10))).containsExactly("id-1", "id-2", "id-3");
      assertThat(Files.size(file)).isEqualTo(intact);
      assertThat(o.append(event(9))).isInstanceOf(Outbox.Written.class);
    }
    try (Outbox o = Outbox.open(dir, 100)) {
      assertThat(ids(o.pending(10))).containsExactly("id-1", "id-2", "id-3", "id-9");
    }
  }

  @Test
  void aCorruptLastRecordFailsItsChecksumAndIsCutOff() throws IOException {
    try (Outbox o = Outbox.open(dir, 100)) {
      for (int i = 0; i < 3; i++) {
        o.append(event(i));
      }
    }
    Path file = dir.resolve(Outbox.FILE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x40; // flip a bit inside the last event's value
    Files.write(file, bytes);
    try (Outbox o = Outbox.open(dir, 100)) {
      assertThat(ids(o.pending(10))).containsExactly("id-0", "id-1");
      assertThat(o.truncatedBytes()).isPositive();
    }
  }

  @Test
  void aFullOutboxRefusesNewEventsAndKeepsTheOldest() throws IOException {
    try (Outbox o = Outbox.open(dir, 3)) {
      for (int i = 0; i < 3; i++) {
        assertThat(o.append(event(i))).isInstanceOf(Outbox.Written.class);
      }
      Outbox.AppendResult r = o.append(event(3));
      assertThat(r).isInstanceOfSatisfying(Outbox.Refused.class,
          f -> assertThat(f.reason()).contains("outbox full").contains("capacity 3").contains("id-3"));
      assertThat(ids(o.pending(10))).containsExactly("id-0", "id-1", "id-2");
      o.acknowledge(List.of(1L));
      assertThat(o.append(event(4))).isInstanceOf(Outbox.Written.class);
      assertThat(ids(o.pending(10))).containsExactly("id-1", "id-2", "id-4");
    }
  }

  @Test
  void whenEverythingIsAcknowledgedTheFileIsCompactedToNothing() throws IOException {
    Path file = dir.resolve(Outbox.FILE);
    try (Outbox o = Outbox.open(dir, 100)) {
      for (int i = 0; i < 10; i++) {
        o.append(event(i));
      }
      assertThat(Files.size(file)).isPositive();
      o.acknowledge(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L));
      assertThat(Files.size(file)).isPositive();
      o.acknowledge(List.of(10L));
      assertThat(Files.size(file)).isZero();
      assertThat(o.append(event(10))).isInstanceOf(Outbox.Written.class);
    }
    try (Outbox o = Outbox.open(dir, 100)) {
      assertThat(ids(o.pending(10))).containsExactly("id-10");
    }
  }

  @Test
  void aLargeMostlyAcknowledgedLogIsRewrittenWithOnlyThePending() throws IOException {
    Path file = dir.resolve(Outbox.FILE);
    byte[] big = new byte[64 * 1024];
    try (Outbox o = Outbox.open(dir, 1000)) {
      for (int i = 0; i < 80; i++) { // ~5 MiB
        o.append(new SignedEvent("id-" + i, CloudEvent.BREACH_OPENED, "s", "k", big));
      }
      List<Long> seqs = new java.util.ArrayList<>();
      for (long s = 1; s <= 79; s++) {
        seqs.add(s);
      }
      o.acknowledge(seqs);
      assertThat(Files.size(file)).isLessThan(100 * 1024);
      assertThat(ids(o.pending(10))).containsExactly("id-79");
      o.append(event(100));
    }
    try (Outbox o = Outbox.open(dir, 1000)) {
      assertThat(ids(o.pending(10))).containsExactly("id-79", "id-100");
      assertThat(o.append(event(101))).isEqualTo(new Outbox.Written(82));
    }
  }

  /** Appends events 0..n-1, flips a bit at {@code at}, and returns the damaged bytes. */
  private byte[] damaged(int n, java.util.function.LongUnaryOperator at) throws IOException {
    Path file = dir.resolve(Outbox.FILE);
    long second = 0;
    try (Outbox o = Outbox.open(dir, 100)) {
      for (int i = 0; i < n; i++) {
        o.append(event(i));
        second = i == 1 ? Files.size(file) : second;
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) at.applyAsLong(second)] ^= 0x01;
    Files.write(file, bytes);
    return bytes;
  }

  @Test
  void aFlippedBitMidFileLosesOnlyThatEventAndKeepsEveryLaterPendingOne() throws IOException {
    byte[] bytes = damaged(12, third -> third + 20); // inside the third event's id
    try (Outbox o = Outbox.open(dir, 100)) {
      assertThat(ids(o.pending(20))).containsExactly("id-0", "id-1", "id-3", "id-4", "id-5", "id-6", "id-7", "id-8",
          "id-9", "id-10", "id-11");
      assertThat(o.corruptRecords()).isEqualTo(1);
      assertThat(o.truncatedBytes()).isZero();
      assertThat(dir.resolve(Outbox.FILE + ".corrupt-1")).hasBinaryContent(bytes);
      assertThat(o.append(event(12))).isEqualTo(new Outbox.Written(13));
    }
  }

  @Test
  void theCorruptRecordCountReachesTheMetricWhenThePublisherStarts() throws IOException {
    damaged(3, third -> 20);
    try (Outbox o = Outbox.open(dir, 100);
        MonitorMetrics m = new MonitorMetrics()) {
      EventMetrics metrics = new EventMetrics(m.registry());
      // no broker: the publisher only reports the outbox at start, and its loop retries in the background
      try (var producer = KafkaProducers.create(new KafkaConfig("127.0.0.1:1", "t",
          KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "c", Duration.ofSeconds(1), Map.of()));
          OutboxPublisher p = new OutboxPublisher(o, producer, "t", metrics, Duration.ofMillis(100),
              Duration.ofSeconds(1))) {
        p.start();
        assertThat(m.scrape()).contains("constitutional_events_outbox_corrupt_records_total 1.0");
      }
    }
  }
}
