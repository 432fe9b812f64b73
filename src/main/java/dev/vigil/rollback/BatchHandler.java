package dev.vigil.rollback;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Handles a batch of consecutive records of one partition, in order, for {@link KafkaBreachConsumer}:
 * the records one poll fetched are handed over together, so that what can be batched (publishing
 * outcomes, forcing the de-duplication store to disk) is done once per batch instead of once per
 * record. Its future says how far it got: the first {@link Handled#count} records are finished
 * (their offsets may be committed), and when {@link Handled#failure} is set, the record after them
 * failed (it and the rest are delivered again). Called on the consumer's Vert.x context.
 */
@FunctionalInterface
public interface BatchHandler {
  /**
   * @param batch consecutive records of one partition, in offset order, at least one
   * @param later the records already fetched after the batch on its partition, in order
   */
  Future<Handled> handle(List<ConsumerRecord<byte[], byte[]>> batch, List<ConsumerRecord<byte[], byte[]>> later);

  /** How far a batch got: {@code count} records finished in order; {@code failure}, if set, is the next one's. */
  record Handled(int count, Throwable failure) {
    public Handled {
      if (count < 0) {
        throw new IllegalArgumentException("count " + count);
      }
    }

    /** All {@code count} records of the batch finished. */
    public static Handled all(int count) {
      return new Handled(count, null);
    }
  }

  /** A batch handler running {@code one} on each record in turn, stopping at the first failure. */
  static BatchHandler sequential(KafkaBreachConsumer.RecordHandler one) {
    return (batch, later) -> {
      Promise<Handled> result = Promise.promise();
      next(one, batch, later, 0, result);
      return result.future();
    };
  }

  private static void next(KafkaBreachConsumer.RecordHandler one, List<ConsumerRecord<byte[], byte[]>> batch,
      List<ConsumerRecord<byte[], byte[]>> later, int i, Promise<Handled> result) {
    if (i == batch.size()) {
      result.complete(Handled.all(i));
      return;
    }
    List<ConsumerRecord<byte[], byte[]>> after = new ArrayList<>(batch.size() - i - 1 + later.size());
    after.addAll(batch.subList(i + 1, batch.size()));
    after.addAll(later);
    Future<Void> f;
    try {
      f = one.handle(batch.get(i), after);
    } catch (RuntimeException | StackOverflowError e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed()) {
        result.complete(new Handled(i, ar.cause()));
      } else {
        next(one, batch, later, i + 1, result);
      }
    });
  }
}
