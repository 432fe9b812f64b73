package dev.vigil.http;

import dev.vigil.attest.TrustedKey;
import dev.vigil.config.KeyConfig;
import dev.vigil.poll.PollResult;
import dev.vigil.poll.PollTarget;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the status page shows of each target's past: its recent polls ({@link TargetHistory}, a
 * bounded ring per target holding an hour of its polls at its interval, at least {@value #STRIP}
 * and at most {@value #CAPACITY}: 120 at the default 30 s, about 1.3 KB) and the keys it trusts. The monitor feeds it ({@link #record} after each poll, {@link #retain} on each
 * configuration), the HTTP server reads it. Thread-safe.
 */
public final class PollHistory {
  /** Polls held per target for the charts at most (an hour at a 15 s interval). */
  public static final int CAPACITY = 240;
  private static final long HOUR_SECONDS = 3_600;
  /** Polls shown in a grid cell's history strip, with their details. */
  public static final int STRIP = 60;
  static final int DETAIL_CHARS = 120;

  /** A trusted key as the target page shows it. */
  record KeyInfo(String keyId, String scheme, Instant notBefore, Instant notAfter, boolean revoked) {}

  private final Map<TargetId, TargetHistory> polls = new ConcurrentHashMap<>();
  private final Map<TargetId, List<KeyInfo>> keys = new ConcurrentHashMap<>();
  private final Map<TargetId, Integer> capacities = new ConcurrentHashMap<>();

  /** Adds a finished poll with the target's score after it (null while none is in the window). */
  public void record(PollResult r, Double score) {
    polls.computeIfAbsent(r.target(), id -> new TargetHistory(r.finishedAt(), capacities.getOrDefault(id, CAPACITY), STRIP))
        .add(r.finishedAt(), r.verification().verdict(), r.verification().detail(), score,
            r.duration().toNanos() / 1e6, r.verification().verifiedKeyIds());
  }

  /** Keeps only {@code targets}' histories (a reload dropped the others) and notes their keys. */
  public void retain(Map<TargetId, PollTarget> targets) {
    polls.keySet().retainAll(targets.keySet());
    keys.keySet().retainAll(targets.keySet());
    capacities.keySet().retainAll(targets.keySet());
    targets.forEach((id, t) -> capacities.put(id, capacity(t.config().interval())));
    targets.forEach((id, t) -> keys(id, t.config().keys().stream().map(KeyConfig::key).map(PollHistory::info).toList()));
  }

  void keys(TargetId id, List<KeyInfo> trusted) {
    keys.put(id, List.copyOf(trusted));
  }

  /** The target's history, or null before its first poll. */
  TargetHistory of(TargetId id) {
    return polls.get(id);
  }

  List<KeyInfo> keys(TargetId id) {
    return keys.getOrDefault(id, List.of());
  }

  /**
   * Polls in an hour at {@code interval}, within [{@value #STRIP}, {@value #CAPACITY}]. A ring keeps
   * the size it was made with: a reload changing the interval resizes nothing already held.
   */
  static int capacity(java.time.Duration interval) {
    long seconds = Math.max(1, interval.toSeconds());
    return (int) Math.max(STRIP, Math.min(CAPACITY, (HOUR_SECONDS + seconds - 1) / seconds));
  }

  private static KeyInfo info(TrustedKey k) {
    return new KeyInfo(k.keyId(), k.scheme().wireName(), k.notBefore(), k.notAfter(), k.revoked());
  }
}
