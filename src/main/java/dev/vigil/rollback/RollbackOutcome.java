package dev.vigil.rollback;

import java.time.Instant;
import java.util.Objects;

/**
 * The data of a {@code dev.vigil.rollback.finished} event, field for field as events-v1 names
 * them. Immutable.
 *
 * @param status {@code succeeded}, {@code validation_failed}, {@code failed} or {@code skipped}
 * @param detail for {@code skipped}, starts with the reason label ({@link SkipReason#label()})
 */
public record RollbackOutcome(String rollbackId, String breachId, String breachEventId, String service, String from,
    String to, String status, String detail, Instant startedAt, Instant finishedAt, long durationMs) {

  public static final String SUCCEEDED = "succeeded";
  public static final String VALIDATION_FAILED = "validation_failed";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  public RollbackOutcome {
    Objects.requireNonNull(rollbackId, "rollbackId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }
}
