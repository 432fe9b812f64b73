package dev.vigil.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
}
