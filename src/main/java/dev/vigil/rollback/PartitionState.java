package dev.vigil.rollback;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the breach consumer knows of one partition it holds: the records fetched and waiting, the
 * batch in flight with the handler (consecutive records, handled in order), the offset to commit, whether it is paused and until when after
 * a failure, the failed attempts at its head record, whether it advanced since it was last
 * measured, and the grace its in-flight record has when the partition is revoked. A new
 * assignment of the same partition is a new state with a new generation, so a completion
 * reported for an earlier one is recognised and ignored. Confined to the consumer thread.
 */
final class PartitionState {
  private static final long NONE = -1;

  final TopicPartition tp;
  final long generation;
  final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
  final RecordAttempts attempts;
  private long inFlight = NONE;
  private int inFlightCount;
  private Instant retryAt;
  private Instant graceEnds;
  private OffsetAndMetadata toCommit;
  private boolean advanced;
  private boolean paused;

  /** @param paused whether the consumer has the partition paused now (it may keep that across a rebalance) */
  PartitionState(TopicPartition tp, long generation, int maxAttempts, boolean paused) {
    this.tp = tp;
    this.generation = generation;
    this.attempts = new RecordAttempts(maxAttempts);
    this.paused = paused;
  }

  /** The next waiting record, now in flight; null when one is already in flight or none waits. */
  ConsumerRecord<byte[], byte[]> dispatch() {
    List<ConsumerRecord<byte[], byte[]>> one = dispatch(1);
    return one.isEmpty() ? null : one.get(0);
  }

  /**
   * The next waiting records, at most {@code max}, in offset order, now in flight together; empty
   * when a batch is already in flight or none waits.
   */
  List<ConsumerRecord<byte[], byte[]>> dispatch(int max) {
    if (inFlight != NONE || pending.isEmpty()) {
      return List.of();
    }
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(Math.min(max, pending.size()));
    while (batch.size() < max && !pending.isEmpty()) {
      batch.add(pending.poll());
    }
    inFlight = batch.get(0).offset();
    inFlightCount = batch.size();
    return batch;
  }

  /** The head of the waiting records, not dispatched; null when none waits. */
  ConsumerRecord<byte[], byte[]> head() {
    return pending.peek();
  }

  boolean inFlight() {
    return inFlight != NONE;
  }

  /**
   * The batch in flight finished up to the record at {@code offset} (handled or dead-lettered):
   * commit {@code offset + 1}. Records of the batch after it, if any, are retried ({@link #retryFrom}).
   */
  void succeeded(long offset) {
    inFlight = NONE;
    inFlightCount = 0;
    toCommit = new OffsetAndMetadata(offset + 1);
    advanced = true;
  }

  /** A record in flight failed: the fetched records go (the consumer seeks back to it); retried from {@code at}. */
  void retryFrom(Instant at) {
    inFlight = NONE;
    inFlightCount = 0;
    pending.clear();
    retryAt = at;
  }

  /** Whether the partition waits out a retry pause at {@code now}; the pause is forgotten once over. */
  boolean waiting(Instant now) {
    if (retryAt != null && now.isBefore(retryAt)) {
      return true;
    }
    retryAt = null;
    return false;
  }

  /** Whether the consumer should stop fetching it: a record waits or is in flight (bounds memory, keeps order). */
  boolean busy() {
    return inFlight() || !pending.isEmpty();
  }

  /** Records not yet finished, {@code unfetched} being those the consumer has not fetched yet. */
  long unfinished(long unfetched) {
    return unfetched + pending.size() + inFlightCount;
  }

  /** Whether a record finished since the last call. */
  boolean takeAdvanced() {
    boolean a = advanced;
    advanced = false;
    return a;
  }

  /** The offset to commit, once: null when nothing finished since the last call. */
  OffsetAndMetadata takeCommit() {
    OffsetAndMetadata c = toCommit;
    toCommit = null;
    return c;
  }

  /** Records that the consumer's pause state should now be {@code pause}; true when that is a change. */
  boolean pausedChanges(boolean pause) {
    boolean changed = paused != pause;
    paused = pause;
    return changed;
  }

  /** The partition is being revoked: its batch in flight may finish until {@code ends}. */
  void revoking(Instant ends) {
    graceEnds = ends;
  }

  /** Whether a record of this revoked partition is still in flight within its grace at {@code now}. */
  boolean inGrace(Instant now) {
    return inFlight() && graceEnds != null && now.isBefore(graceEnds);
  }
}
