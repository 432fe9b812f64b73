package dev.vigil.rollout;

import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import dev.vigil.events.RolloutData;
import dev.vigil.events.VertxKafkaProducer;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Publishes each rollout event as a signed CloudEvent (events-v1, compact JSON) on the rollouts
 * topic, keyed by service, through the controller's idempotent {@code acks=all} producer, as {@code
 * rollback.finished} is. The event id is a name-based UUID of the rollout id and the count of its
 * events so far: the same event sent again after a crash carries the same id. Thread-safe.
 */
public final class KafkaRolloutSink implements RolloutSink {
  private final VertxKafkaProducer producer;
  private final EventCodec codec;
  private final String source;
  private final String topic;

  public KafkaRolloutSink(VertxKafkaProducer producer, EventCodec codec, String source, String topic) {
    this.producer = producer;
    this.codec = codec;
    this.source = source;
    this.topic = topic;
  }

  /** The CloudEvent of {@code r}'s next event, at {@code at} (a finished rollout's: at its finishedAt). */
  public CloudEvent event(Rollout r, Instant at) {
    RolloutData d = data(r, at);
    at = d.at();
    String id = UUID.nameUUIDFromBytes((r.id() + "#" + r.events()).getBytes(StandardCharsets.UTF_8)).toString();
    return new CloudEvent(id, source, d.type(), r.service(), at, d);
  }

  /** The {@code data} of {@code r}'s event: a step while running, the outcome once finished. */
  public static RolloutData data(Rollout r, Instant at) {
    boolean finished = r.state().finished();
    return new RolloutData(finished, r.id(), r.service(), r.from(), r.to(), finished ? 0 : r.step(), r.steps(),
        100 - r.weight(),
        r.state().label(), RolloutCodec.analysis(r.analysis()), r.detail(), r.startedAt(),
        finished ? r.finishedAt() : at);
  }

  @Override
  public Future<Void> publish(Rollout r, Instant at) {
    try {
      return producer.send(topic, codec.sign(event(r, at))).mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
