package dev.vigil.events;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code data} of {@code dev.vigil.rollback.finished} (events-v1), field for field. A skipped
 * rollback names why in {@code detail}, starting with one of {@link #SKIP_REASONS}. Every text field
 * is bounded ({@link Bounds}: a longer value, such as an id copied from a forged event or a long
 * detail, is truncated with a visible marker). Immutable.
 */
public record RollbackFinished(
    String rollbackId,
    String breachId,
    String breachEventId,
    String service,
    String from,
    String to,
    Status status,
    String detail,
    Instant startedAt,
    Instant finishedAt,
    long durationMs) implements EventData {

  /** The words a skipped rollback's {@code detail} starts with. */
  public static final java.util.List<String> SKIP_REASONS =
      java.util.List.of("duplicate", "cooldown", "blast_radius", "dry_run", "not_rollbackable", "stale_event");

  /** {@code status}; the wire form is the lowercase name. */
  public enum Status {
    SUCCEEDED, VALIDATION_FAILED, FAILED, SKIPPED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromLabel(String s) {
      for (Status v : values()) {
        if (v.label().equals(s)) {
          return v;
        }
      }
      throw new IllegalArgumentException("unknown rollback status '" + s + "'");
    }
  }

  public RollbackFinished {
    Objects.requireNonNull(rollbackId, "rollbackId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    rollbackId = Bounds.text(rollbackId, Bounds.ID_CHARS);
    breachId = Bounds.text(breachId, Bounds.ID_CHARS);
    breachEventId = Bounds.text(breachEventId, Bounds.ID_CHARS);
    service = Bounds.text(service, Bounds.ID_CHARS);
    from = Bounds.text(from, Bounds.ID_CHARS);
    to = Bounds.text(to, Bounds.ID_CHARS);
    detail = Bounds.text(detail, Bounds.DETAIL_CHARS);
    startedAt = CloudEvent.millis(startedAt);
    finishedAt = CloudEvent.millis(finishedAt);
  }
}
