package dev.vigil.rollback;

/**
 * The breach consumer's count of failed attempts at one partition's head record, and the
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
  private Attempt current;

  RecordAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  /** Counts a failed attempt at {@code offset}; an attempt at another offset starts again from 1. */
  Attempt failed(long offset, Throwable failure) {
    int count = current != null && current.offset() == offset ? current.count() + 1 : 1;
    boolean retriable = DeadLetters.retriable(failure);
    String reason = !retriable && count >= maxAttempts ? DeadLetters.reason(failure) : null;
    current = new Attempt(offset, count, retriable, reason, BreachRecords.printable(String.valueOf(failure), 300));
    return current;
  }

  /** The attempt at {@code offset} when it is due for the dead letters, else null. */
  Attempt due(long offset) {
    return current != null && current.offset() == offset && current.due() ? current : null;
  }

  /** The head record finished (handled or dead-lettered): its attempts, if any, removed. */
  Attempt finished() {
    Attempt a = current;
    current = null;
    return a;
  }

  int maxAttempts() {
    return maxAttempts;
  }
}
