package dev.vigil.rollback;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The breach consumer's count of failed attempts at each partition's head record, and the
 * decision it leads to: retry after a pause, or (a non-retriable failure, {@code maxAttempts}
 * times) send the record to the dead letters. Confined to the consumer thread.
 */
final class RecordAttempts {
  /** Failed attempts at one record; {@code reason} non-null once it is due for the dead letters. */
  record Attempt(long offset, int count, boolean retriable, String reason, String detail) {
    boolean due() {
      return reason != null;
    }
  }

  private final int maxAttempts;
  private final Map<TopicPartition, Attempt> attempts = new HashMap<>();

  RecordAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  /** Counts a failed attempt at {@code offset}; an attempt at another offset starts again from 1. */
  Attempt failed(TopicPartition tp, long offset, Throwable failure) {
    Attempt a = attempts.get(tp);
    int count = a != null && a.offset() == offset ? a.count() + 1 : 1;
    boolean retriable = DeadLetters.retriable(failure);
    String reason = !retriable && count >= maxAttempts ? DeadLetters.reason(failure) : null;
    Attempt next = new Attempt(offset, count, retriable, reason, BreachRecords.printable(String.valueOf(failure), 300));
    attempts.put(tp, next);
    return next;
  }

  /** The attempt at {@code offset} when it is due for the dead letters, else null. */
  Attempt due(TopicPartition tp, long offset) {
    Attempt a = attempts.get(tp);
    return a != null && a.offset() == offset && a.due() ? a : null;
  }

  /** The partition's head record finished (handled or dead-lettered): its attempts, if any, removed. */
  Attempt finished(TopicPartition tp) {
    return attempts.remove(tp);
  }

  int maxAttempts() {
    return maxAttempts;
  }
}
