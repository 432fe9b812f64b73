package dev.vigil.score;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The recent observations of one target, oldest first, in non-decreasing {@code at} order, each
 * marked with whether it is a transport failure attributed to a partition of the monitor (see
 * {@link Scorer}).
 *
 * <p>A window "ending at {@code end}" of length {@code w} holds the observations with
 * {@code end - w < at <= end}: an observation exactly {@code w} old has left it. With 30 s polls
 * a 180 s window therefore holds 6 observations.
 *
 * <p>Not thread-safe: owned by one {@link Scorer}, used from its single caller context.
 */
final class TargetWindow {
  private record Entry(Observation observation, boolean partitionFailure) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  /** Appends {@code o}; it must not be older than the newest observation held. */
  void add(Observation o) {
    Entry newest = entries.peekLast();
    if (newest != null && o.at().isBefore(newest.observation().at())) {
      throw new IllegalArgumentException("observation at " + o.at() + " is older than " + newest.observation().at());
    }
    entries.addLast(new Entry(o, false));
  }

  /**
   * Attributes the newest observation to a partition of the monitor if it is a transport failure
   * ({@link dev.vigil.attest.Verdict#isAvailability()}); otherwise leaves it as it is.
   */
  void attributeNewestToPartition() {
    Entry newest = entries.peekLast();
    if (newest != null && !newest.partitionFailure() && newest.observation().verdict().isAvailability()) {
      entries.pollLast();
      entries.addLast(new Entry(newest.observation(), true));
    }
  }

  /**
   * Attributes the newest observation, whatever its verdict, to the monitor's own overload: it
   * leaves the windows of the kinds a partition suspends, as a partition failure does.
   */
  void attributeNewestToMonitor() {
    Entry newest = entries.peekLast();
    if (newest != null && !newest.partitionFailure()) {
      entries.pollLast();
      entries.addLast(new Entry(newest.observation(), true));
    }
  }

  /** Drops every observation at least {@code retention} old at {@code now}. */
  void prune(Instant now, Duration retention) {
    Instant cutoff = now.minus(retention);
    while (!entries.isEmpty() && !entries.peekFirst().observation().at().isAfter(cutoff)) {
      entries.removeFirst();
    }
  }

  /** The newest observation held, if any. */
  Optional<Observation> last() {
    return Optional.ofNullable(entries.peekLast()).map(Entry::observation);
  }

  /** The observations in the window of length {@code window} ending at {@code end}, oldest first. */
  List<Observation> within(Instant end, Duration window) {
    return within(end, window, false);
  }

  /**
   * As {@link #within(Instant, Duration)}; with {@code skipPartitionFailures}, leaves out the
   * transport failures attributed to a partition.
   */
  List<Observation> within(Instant end, Duration window, boolean skipPartitionFailures) {
    Instant start = end.minus(window);
    List<Observation> out = new ArrayList<>();
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext()) {
      Entry e = it.next();
      Instant at = e.observation().at();
      if (!at.isAfter(start)) {
        break;
      }
      if (!at.isAfter(end) && !(skipPartitionFailures && e.partitionFailure())) {
        out.add(e.observation());
      }
    }
    Collections.reverse(out);
    return out;
  }

  int size() {
    return entries.size();
  }
}
