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
 * bounded ring per target, {@value #CAPACITY} polls: an hour at a 15 s interval) and the keys it
 * trusts. The monitor feeds it ({@link #record} after each poll, {@link #retain} on each
 * configuration), the HTTP server reads it. Thread-safe.
 */
public final class PollHistory {
  /** Polls held per target for the charts. */
  public static final int CAPACITY = 240;
  /** Polls shown in a grid cell's history strip, with their details. */
  public static final int STRIP = 60;
  static final int DETAIL_CHARS = 120;

  /** A trusted key as the target page shows it. */
  record KeyInfo(String keyId, String scheme, Instant notBefore, Instant notAfter, boolean revoked) {}

  private final Map<TargetId, TargetHistory> polls = new ConcurrentHashMap<>();
  private final Map<TargetId, List<KeyInfo>> keys = new ConcurrentHashMap<>();

  /** Adds a finished poll with the target's score after it (null while none is in the window). */
  public void record(PollResult r, Double score) {
    polls.computeIfAbsent(r.target(), id -> new TargetHistory(r.finishedAt(), CAPACITY, STRIP))
        .add(r.finishedAt(), r.verification().verdict(), r.verification().detail(), score,
            r.duration().toNanos() / 1e6, r.verification().verifiedKeyIds());
  }

  /** Keeps only {@code targets}' histories (a reload dropped the others) and notes their keys. */
  public void retain(Map<TargetId, PollTarget> targets) {
    polls.keySet().retainAll(targets.keySet());
    keys.keySet().retainAll(targets.keySet());
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

  private static KeyInfo info(TrustedKey k) {
    return new KeyInfo(k.keyId(), k.scheme().wireName(), k.notBefore(), k.notAfter(), k.revoked());
  }
}
