package dev.vigil.rollback;

import java.util.Locale;

/**
 * Why a rollback was skipped (events-v1); the label starts the {@code detail} of a skipped
 * {@code rollback.finished}, exactly once: build every skip detail with {@link #detail}.
 */
public enum SkipReason {
  DUPLICATE, COOLDOWN, BLAST_RADIUS, DRY_RUN, NOT_ROLLBACKABLE,
  /** Older than {@code rollback.maxEventAge}, dated in the future, or resolved later in the same batch. */
  STALE_EVENT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code "<label>: <why>"}; a {@code why} that already starts with the label is not prefixed again. */
  public String detail(String why) {
    String prefix = label() + ": ";
    return why.startsWith(prefix) ? why : prefix + why;
  }
}
