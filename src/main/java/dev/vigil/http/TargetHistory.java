package dev.vigil.http;

import dev.vigil.attest.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent polls of one target in fixed-size rings of primitives, so its memory is bounded
 * whatever the poll rate: the last {@link PollHistory#CAPACITY} polls' time (seconds), verdict,
 * score and probe latency, and the last {@link PollHistory#STRIP} polls' details (clipped, and
 * shared with the previous poll's when equal). About {@value #BYTES_PER_POLL} bytes per poll held.
 * Also the verified signers of the last envelope. Thread-safe: written by the monitor, read by the
 * HTTP server's render thread, under this object's lock (held for microseconds).
 */
final class TargetHistory {
  /** int time + byte verdict + short score + float latency, in the arrays below. */
  static final int BYTES_PER_POLL = 4 + 1 + 2 + 4;
  private static final Verdict[] VERDICTS = Verdict.values();
  private static final short NO_SCORE = -1;

  /** One poll, as read back. {@code score} is NaN while no poll was in the scoring window. */
  record Sample(Instant at, Verdict verdict, String detail, double score, double latencyMillis) {}

  private final long baseSecond;
  private final int[] at;
  private final byte[] verdict;
  private final short[] score;
  private final float[] latencyMillis;
  private final String[] detail;
  private long count;
  private List<String> signers = List.of();
  private Instant signedAt;

  TargetHistory(Instant first, int capacity, int details) {
    baseSecond = first.getEpochSecond();
    at = new int[capacity];
    verdict = new byte[capacity];
    score = new short[capacity];
    latencyMillis = new float[capacity];
    detail = new String[details];
  }

  synchronized void add(Instant when, Verdict v, String why, Double s, double latency, List<String> keyIds) {
    int i = (int) (count % at.length);
    at[i] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, when.getEpochSecond() - baseSecond));
    verdict[i] = (byte) v.ordinal();
    score[i] = s == null || !Double.isFinite(s) ? NO_SCORE : (short) Math.round(Math.max(0, Math.min(1, s)) * 10_000);
    latencyMillis[i] = (float) latency;
    String clipped = Html.clip(why, PollHistory.DETAIL_CHARS);
    String previous = count == 0 ? null : detail[(int) ((count - 1) % detail.length)];
    detail[(int) (count % detail.length)] = clipped.equals(previous) ? previous : clipped;
    count++;
    if (!keyIds.isEmpty()) {
      signers = List.copyOf(keyIds);
      signedAt = when;
    }
  }

  /** Polls this ring holds at most. */
  int capacity() {
    return at.length;
  }

  /** The last {@code n} polls (at most the capacity), oldest first; details only within the strip. */
  synchronized List<Sample> last(int n) {
    int k = (int) Math.min(Math.min(n, at.length), count);
    List<Sample> out = new ArrayList<>(k);
    for (long j = count - k; j < count; j++) {
      out.add(sample(j));
    }
    return out;
  }

  /** The held polls at or after {@code from}, oldest first. */
  synchronized List<Sample> since(Instant from) {
    List<Sample> out = new ArrayList<>();
    for (long j = Math.max(0, count - at.length); j < count; j++) {
      int i = (int) (j % at.length);
      if (baseSecond + at[i] >= from.getEpochSecond()) {
        out.add(sample(j));
      }
    }
    return out;
  }

  /** The keyids that verified the last signed envelope (empty before one), and when. */
  synchronized List<String> signers() {
    return signers;
  }

  synchronized Instant signedAt() {
    return signedAt;
  }

  synchronized long polls() {
    return count;
  }

  private Sample sample(long j) {
    int i = (int) (j % at.length);
    String d = count - j <= detail.length ? detail[(int) (j % detail.length)] : null;
    return new Sample(Instant.ofEpochSecond(baseSecond + at[i]), VERDICTS[verdict[i]], d,
        score[i] == NO_SCORE ? Double.NaN : score[i] / 10_000.0, latencyMillis[i]);
  }
}
