package dev.vigil.rollback;

import java.util.Locale;

/** Why a rollback was skipped; the label starts the {@code detail} of a skipped {@code rollback.finished}. */
public enum SkipReason {
  DUPLICATE, COOLDOWN, BLAST_RADIUS, DRY_RUN, NOT_ROLLBACKABLE,
  /** Decided by the Kafka consumer (signature did not verify), never by the engine. */
  UNTRUSTED_EVENT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
