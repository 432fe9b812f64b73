package dev.vigil.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A Vert.x-friendly face of a plain kafka-clients {@link Producer}: {@link #send} never blocks the
 * caller's event loop ({@code Producer.send} may block for metadata up to {@code max.block.ms}, so
 * it runs on a worker, in call order per context), the record travels on the producer's own I/O
 * thread, and the returned future completes back on the caller's context. Thread-safe like the
 * producer it wraps; the producer is not closed by this class.
 */
public final class VertxKafkaProducer {
  private final Vertx vertx;
  private final Producer<byte[], byte[]> producer;

  public VertxKafkaProducer(Vertx vertx, Producer<byte[], byte[]> producer) {
    this.vertx = vertx;
    this.producer = producer;
  }

  /** Sends {@code record}; completes on the calling context when Kafka acknowledged it (or failed). */
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    Context ctx = vertx.getOrCreateContext();
    Promise<RecordMetadata> done = Promise.promise();
    ctx.<Void>executeBlocking(() -> {
      producer.send(record, (md, error) -> ctx.runOnContext(v -> {
        if (error != null) {
          done.tryFail(error);
        } else {
          done.tryComplete(md);
        }
      }));
      return null;
    }, true).onFailure(done::tryFail);
    return done.future();
  }

  /** Signs nothing: sends an already signed event to {@code topic} with the events-v1 key and headers. */
  public Future<RecordMetadata> send(String topic, SignedEvent event) {
    return send(event.toRecord(topic));
  }

  /**
   * Makes the records with {@code records} (e.g. signing them) and sends them all, on a worker, in
   * order after what this context sent before, then flushes the producer once; completes on the
   * calling context when every record was acknowledged or failed, with one entry per record in
   * order: null when Kafka acknowledged it, else why not (a send that threw included). Fails as a
   * whole only when {@code records} threw (nothing was sent then).
   */
  public Future<List<Throwable>> sendAll(Supplier<List<ProducerRecord<byte[], byte[]>>> records) {
    Context ctx = vertx.getOrCreateContext();
    return ctx.executeBlocking(() -> {
      List<ProducerRecord<byte[], byte[]>> all = records.get();
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>(all.size());
      List<Throwable> results = new ArrayList<>(all.size());
      for (ProducerRecord<byte[], byte[]> r : all) {
        try {
          sent.add(producer.send(r));
        } catch (RuntimeException e) {
          sent.add(java.util.concurrent.CompletableFuture.failedFuture(e));
        }
      }
      producer.flush();
      for (java.util.concurrent.Future<RecordMetadata> f : sent) {
        try {
          f.get();
          results.add(null);
        } catch (ExecutionException e) {
          results.add(e.getCause() != null ? e.getCause() : e);
        }
      }
      return results;
    }, true);
  }
}
