package dev.vigil.bench;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Verdict;
import dev.vigil.config.EventsConfig;
import dev.vigil.config.KafkaConfig;
import dev.vigil.events.EmbeddedKafka;
import dev.vigil.events.KafkaEventPipeline;
import dev.vigil.events.Outbox;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Breach detected → acknowledged by Kafka: for each event, from the sink's {@code submit} (the
 * moment the monitor hands over a breach transition) to the publisher's acknowledgement callback
 * (Kafka acked with {@code acks=all} and the outbox marked it done), through signing, the outbox
 * append with its fsync, and the send. One event at a time, so the figure is latency, not queueing.
 * Also reports the append+fsync part alone. Not thread-safe: run one at a time.
 */
public final class EventsBenchmark {
  /** Latencies in microseconds, sorted. */
  public record Result(long[] endToEndMicros, long[] durableMicros) {
    public static long percentile(long[] sorted, double p) {
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
  }

  private final int warmup;
  private final int events;

  public EventsBenchmark(int warmup, int events) {
    this.warmup = warmup;
    this.events = events;
  }

  /** Runs against {@code bootstrap}, or an embedded broker when null; the outbox lives in {@code outboxDir}. */
  public Result run(String bootstrap, Path outboxDir) throws Exception {
    EmbeddedKafka embedded = bootstrap == null ? EmbeddedKafka.create().start() : null;
    String servers = bootstrap != null ? bootstrap : embedded.bootstrapServers();
    SigningKey key = Keys.generate(Scheme.ED25519, new SecureRandom());
    KafkaConfig kafka = new KafkaConfig(servers, "bench.breaches", KafkaConfig.DEFAULT_ROLLBACKS_TOPIC, "vigil-bench",
        Duration.ofSeconds(30), Map.of());
    EventsConfig cfg = new EventsConfig(outboxDir, events + warmup + 10, null, key);
    try (KafkaEventPipeline p = KafkaEventPipeline.start("bench-0", kafka, cfg, new SimpleMeterRegistry())) {
      Map<String, CompletableFuture<Long>> acked = new ConcurrentHashMap<>();
      p.publisher().onAcknowledged(e -> {
        CompletableFuture<Long> f = acked.remove(e.event().key());
        if (f != null) {
          f.complete(System.nanoTime());
        }
      });
      long[] total = new long[events];
      long[] durable = new long[events];
      for (int i = 0; i < warmup + events; i++) {
        String service = "svc-" + i; // one key per event, so the callback finds its start
        CompletableFuture<Long> done = new CompletableFuture<>();
        acked.put(service, done);
        long t0 = System.nanoTime();
        Outbox.AppendResult r = p.sink().submit(transition(service, i)).get(30, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        if (!(r instanceof Outbox.Written)) {
          throw new IllegalStateException("the outbox refused an event: " + r);
        }
        long t2 = done.get(60, TimeUnit.SECONDS);
        if (i >= warmup) {
          durable[i - warmup] = (t1 - t0) / 1000;
          total[i - warmup] = (t2 - t0) / 1000;
        }
      }
      Arrays.sort(total);
      Arrays.sort(durable);
      return new Result(total, durable);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static BreachTransition transition(String service, int i) {
    TargetId id = new TargetId(service, "green");
    Instant at = Instant.now();
    return new BreachTransition(BreachTransition.Kind.OPENED, new Breach(Breach.idFor(id, "hash_mismatch", at), id,
        "hash_mismatch", Severity.CRITICAL, Verdict.HASH_MISMATCH, "deadbeefdeadbeef", "cdd01ef066bc6cf2",
        0.5 + i % 10 / 100.0, 180, 1, at, null));
  }

  /** Keeps {@code IOException} visible to callers that want a temp dir. */
  public static Path tempDir() throws IOException {
    return java.nio.file.Files.createTempDirectory("vigil-bench-outbox-");
  }
}
