package dev.vigil.http;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one target for the API and the status page. {@code verdict}, {@code checkedAt},
 * {@code changedAt} and {@code score} are null before the first poll (score: while no poll is in
 * the window). Immutable.
 */
public record TargetStatus(TargetId id, String url, String mode, Verdict verdict, String detail, boolean signed,
    boolean responded, Instant checkedAt, Instant changedAt, Double score, long polls, List<Breach> openBreaches) {
  public TargetStatus {
    openBreaches = List.copyOf(openBreaches);
  }
}
