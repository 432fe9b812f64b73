package dev.vigil.score;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import dev.vigil.score.TargetMemory.Attribution;
import dev.vigil.score.TargetMemory.Entry;

/**
 * The recent observations of one target, oldest first, in non-decreasing {@code at} order, each
 * with its {@link TargetMemory.Attribution}: the target's own evidence, the monitor's overload, or
 * made while the monitor judged itself partitioned (see {@link Scorer}).
 *
 * <p>A window "ending at {@code end}" of length {@code w} holds the observations with
 * {@code end - w < at <= end}: an observation exactly {@code w} old has left it. With 30 s polls
 * a 180 s window therefore holds 6 observations.
 *
 * <p>Not thread-safe: owned by one {@link Scorer}, used from its single caller context.
 */
final class TargetWindow {
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  /** Appends {@code o}; it must not be older than the newest observation held. */
  void add(Observation o) {
    Entry newest = entries.peekLast();
    if (newest != null && o.at().isBefore(newest.observation().at())) {
      throw new IllegalArgumentException("observation at " + o.at() + " is older than " + newest.observation().at());
    }
    entries.addLast(new Entry(o, Attribution.TARGET));
  }

  /**
   * Attributes the newest observation to {@code to} when that is stronger than its attribution
   * ({@code PARTITION} over {@code MONITOR} over {@code TARGET}); with {@code transportOnly}, only
   * if it is a transport failure ({@link dev.vigil.attest.Verdict#isAvailability()}).
   */
  void attributeNewest(Attribution to, boolean transportOnly) {
    Entry newest = entries.peekLast();
    if (newest == null || newest.attribution().compareTo(to) >= 0
        || transportOnly && !newest.observation().verdict().isAvailability()) {
      return;
    }
    entries.pollLast();
    entries.addLast(new Entry(newest.observation(), to));
  }

  /** Replaces everything held by {@code restored}, oldest first (a restore; see {@link TargetMemory}). */
  void restore(List<Entry> restored) {
    entries.clear();
    entries.addAll(restored);
  }

  /** Everything held, oldest first. */
  List<Entry> entries() {
    return List.copyOf(entries);
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

  /** As {@link #within(Instant, Duration, boolean)}, keeping those attributed to the monitor's overload. */
  List<Observation> within(Instant end, Duration window) {
    return within(end, window, false);
  }

  /**
   * The observations in the window of length {@code window} ending at {@code end}, oldest first,
   * leaving out those made while partitioned and, with {@code skipMonitorFaults}, also those
   * attributed to the monitor's overload.
   */
  List<Observation> within(Instant end, Duration window, boolean skipMonitorFaults) {
    Instant start = end.minus(window);
    List<Observation> out = new ArrayList<>();
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext()) {
      Entry e = it.next();
      Instant at = e.observation().at();
      if (!at.isAfter(start)) {
        break;
      }
      if (!at.isAfter(end) && e.attribution() != Attribution.PARTITION
          && !(skipMonitorFaults && e.attribution() == Attribution.MONITOR)) {
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
