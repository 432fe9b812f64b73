package dev.vigil.rollback;

import io.vertx.core.Future;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Where the breach consumer puts a record it could not finish after a bounded number of attempts
 * for a non-retriable reason, so that one record can never stop a partition: the record goes
 * aside with its reason and coordinates, then its offset is committed.
 *
 * <p>Also decides which failures are retriable: Kafka's own retriable errors (broker unreachable,
 * timeouts) and I/O errors of the de-duplication store are waited out, never dead-lettered.
 */
public interface DeadLetters {
  /** Sends {@code record} aside; the future succeeds once it is durably there. */
  Future<Void> send(ConsumerRecord<byte[], byte[]> record, String reason, String detail, int attempts);

  /** Whether {@code failure} may go away by itself (retry the record) rather than fail it every time. */
  static boolean retriable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetriableException || t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** The bounded {@code reason} label of a non-retriable failure: {@code record_too_large}, {@code kafka_error}, {@code internal_error}. */
  static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RecordTooLargeException) {
        return "record_too_large";
      }
      if (t instanceof KafkaException) {
        return "kafka_error";
      }
    }
    return "internal_error";
  }
}
