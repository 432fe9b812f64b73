package dev.vigil.rollback;

import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.UuidV7;
import dev.vigil.events.VertxKafkaProducer;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@link OutcomeSink} of the controller: each outcome becomes a signed
 * {@code dev.vigil.rollback.finished} CloudEvent (events-v1) on the rollbacks topic, keyed by
 * service; the future completes when Kafka acknowledged it ({@code acks=all}, idempotent producer).
 * A batch ({@link #publishAll}) is signed on a worker and sent with one producer flush.
 */
public final class KafkaOutcomeSink implements OutcomeSink {
  private final VertxKafkaProducer producer;
  private final EventCodec codec;
  private final String source;
  private final String topic;

  /** {@code source} is the CloudEvent source, e.g. {@code vigil://rollback-controller/monitor-0}. */
  public KafkaOutcomeSink(VertxKafkaProducer producer, EventCodec codec, String source, String topic) {
    this.producer = producer;
    this.codec = codec;
    this.source = source;
    this.topic = topic;
  }

  /** The CloudEvent source of a controller named {@code id}. */
  public static String source(String id) {
    return "vigil://rollback-controller/" + id;
  }

  /** The event of {@code o}, with a fresh UUIDv7 id. */
  public CloudEvent event(RollbackFinished o) {
    return new CloudEvent(UuidV7.next().toString(), source, CloudEvent.ROLLBACK_FINISHED, o.service(), o.finishedAt(),
        o);
  }

  @Override
  public Future<Void> publish(RollbackFinished outcome) {
    try {
      return producer.send(topic, codec.sign(event(outcome))).mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<List<Throwable>> publishAll(List<RollbackFinished> outcomes) {
    List<RollbackFinished> copy = List.copyOf(outcomes);
    return producer.sendAll(() -> {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(copy.size());
      for (RollbackFinished o : copy) {
        records.add(codec.sign(event(o)).toRecord(topic));
      }
      return records;
    });
  }
}
