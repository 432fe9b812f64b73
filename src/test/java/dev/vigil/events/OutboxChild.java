package dev.vigil.events;

import dev.vigil.attest.Keys;
import dev.vigil.config.EventsConfig;
import dev.vigil.config.KafkaConfig;
import dev.vigil.monitor.MonitorMetrics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's publishing side alone, as a child process for the crash test: {@code write N}
 * appends N breach events and reports each as {@code DURABLE <id>} once fsync'd, then waits to be
 * killed; {@code drain} recovers the outbox and reports {@code DRAINED} once Kafka acknowledged
 * everything. Arguments: mode, bootstrap, outboxDir, signing key PEM file, topic, [N].
 */
public final class OutboxChild {
  private OutboxChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    KafkaConfig kafka = new KafkaConfig(args[1], args[4], KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "vigil-child",
        Duration.ofSeconds(3), Map.of());
    EventsConfig events = new EventsConfig(Path.of(args[2]), 1000, args[3],
        Keys.readPrivate(Files.readString(Path.of(args[3]), StandardCharsets.UTF_8)));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    MonitorMetrics metrics = new MonitorMetrics();
    KafkaEventPipeline p = KafkaEventPipeline.start("monitor-0", kafka, events, metrics.registry());
    if (mode.equals("write")) {
      int n = Integer.parseInt(args[5]);
      for (int i = 0; i < n; i++) {
        CloudEvent e = EventFixtures.event(EventFixtures.opened("service-" + (i % 2), i));
        Outbox.AppendResult r = p.sink().submit(e).get(30, TimeUnit.SECONDS);
        out.println((r instanceof Outbox.Written ? "DURABLE " : "REFUSED ") + e.id());
      }
      out.println("PENDING " + p.outbox().pendingCount());
      new CountDownLatch(1).await(); // until kill -9
    } else {
      out.println("PENDING " + p.outbox().pendingCount());
      while (p.outbox().pendingCount() > 0) {
        CountDownLatch tick = new CountDownLatch(1);
        p.publisher().onAcknowledged(e -> tick.countDown());
        tick.await(200, TimeUnit.MILLISECONDS);
      }
      out.println("DRAINED");
      p.close();
      metrics.close();
    }
  }
}
