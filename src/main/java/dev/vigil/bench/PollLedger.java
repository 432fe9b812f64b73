package dev.vigil.bench;

import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * When each target of a simulator was polled, as seen from the simulator: a thread reads every
 * target's request counter every {@value #SAMPLE_MS} ms and notes each rise (a rise of two in one
 * sample is two polls at once: a duplicate). {@link #stats} turns a time window into the figures of
 * a group's handovers. Thread-safe (the ledger is written by its thread, read under its lock).
 */
final class PollLedger implements AutoCloseable {
  static final long SAMPLE_MS = 50;
  private final FleetSimulator sim;
  private final List<TargetId> ids;
  private final long[][] times;
  private final int[] counts;
  private final long[] last;
  private final Thread thread;
  private volatile boolean closed;

  PollLedger(FleetSimulator sim) {
    this.sim = sim;
    this.ids = List.copyOf(sim.targets());
    this.times = new long[ids.size()][64];
    this.counts = new int[ids.size()];
    this.last = new long[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      last[i] = sim.requests(ids.get(i));
    }
    this.thread = new Thread(this::sample, "poll-ledger");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void sample() {
    while (!closed) {
      long now = System.nanoTime();
      synchronized (this) {
        for (int i = 0; i < ids.size(); i++) {
          long n = sim.requests(ids.get(i));
          for (long k = last[i]; k < n; k++) {
            if (counts[i] == times[i].length) {
              times[i] = Arrays.copyOf(times[i], times[i].length * 2);
            }
            times[i][counts[i]++] = now;
          }
          last[i] = n;
        }
      }
      try {
        Thread.sleep(SAMPLE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** True when every target was polled at least {@code n} times since {@code from} (nanoTime). */
  synchronized boolean allPolledSince(long from, int n) {
    for (int i = 0; i < ids.size(); i++) {
      if (count(i, from, Long.MAX_VALUE) < n) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until each of {@code which} was polled after {@code since}; returns the longest wait in
   * ms (from {@code since} to a target's first poll after it).
   */
  long awaitPolledAfter(List<TargetId> which, long since, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long worst = 0;
      boolean all = true;
      synchronized (this) {
        for (TargetId id : which) {
          int i = ids.indexOf(id);
          long first = firstAfter(i, since);
          if (first < 0) {
            all = false;
            break;
          }
          worst = Math.max(worst, first - since);
        }
      }
      if (all) {
        return worst / 1_000_000;
      }
      if (System.nanoTime() > deadline) {
        return -1;
      }
      Thread.sleep(SAMPLE_MS);
    }
  }

  private long firstAfter(int i, long since) {
    for (int k = 0; k < counts[i]; k++) {
      if (times[i][k] > since) {
        return times[i][k];
      }
    }
    return -1;
  }

  private int count(int i, long from, long to) {
    int n = 0;
    for (int k = 0; k < counts[i]; k++) {
      if (times[i][k] > from && times[i][k] <= to) {
        n++;
      }
    }
    return n;
  }

  /**
   * Over the window ({@code from}, {@code to}]: polls; polls per target per interval (min, mean,
   * max); duplicates (a poll less than half an interval after the previous one of its target);
   * missed polls (a gap of g between two polls of a target, or from its last poll to the window's
   * end, misses round(g / interval) - 1 polls); the longest gap between two polls of a target.
   */
  synchronized GroupBenchmark.Counts stats(long from, long to, Duration interval) {
    double intervals = (to - from) / (double) interval.toNanos();
    long iv = interval.toNanos();
    long polls = 0;
    long duplicates = 0;
    long missed = 0;
    long maxGap = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < ids.size(); i++) {
      int n = count(i, from, to);
      polls += n;
      min = Math.min(min, n / intervals);
      max = Math.max(max, n / intervals);
      long prev = -1;
      for (int k = 0; k < counts[i]; k++) {
        long t = times[i][k];
        if (t > to) {
          break;
        }
        if (prev >= 0 && t > from) {
          long gap = t - prev;
          maxGap = Math.max(maxGap, gap);
          if (gap < iv / 2) {
            duplicates++;
          }
          missed += Math.max(0, Math.round(gap / (double) iv) - 1);
        }
        prev = t;
      }
      if (prev >= 0 && to - prev > iv) {
        missed += Math.max(0, Math.round((to - prev) / (double) iv) - 1);
        maxGap = Math.max(maxGap, to - prev);
      }
    }
    return new GroupBenchmark.Counts(polls, ids.isEmpty() ? 0 : min, ids.isEmpty() ? 0 : polls / intervals / ids.size(), max,
        duplicates, missed, maxGap / 1_000_000);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
