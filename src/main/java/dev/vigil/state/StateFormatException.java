package dev.vigil.state;

import java.io.IOException;

/**
 * A stored snapshot this version cannot read: an unknown format version (written by another
 * version of Vigil) or damaged bytes. Never guessed around: the store that meets it refuses to load,
 * naming where the record is.
 */
public final class StateFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public StateFormatException(String message) {
    super(message);
  }
}
