package dev.vigil.poll;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Tells an HTTP protocol violation by the server (a response Netty's HTTP decoder rejects: a header
 * over the limit, a chunk size that overflows, a status line that is not HTTP) from a transport
 * failure, and names it in one bounded, printable line (the text may quote the server's bytes).
 * Stateless.
 */
final class ProtocolViolation {
  private static final int MAX_DETAIL = 160;
  private static final String DECODER_PACKAGE = "io.netty.handler.codec.http.";

  private ProtocolViolation() {}

  /** The violation {@code e} reports, or null when {@code e} is not one. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TooLongFrameException || t instanceof CorruptedFrameException || thrownByTheDecoder(t)) {
        return bounded(t);
      }
    }
    return null;
  }

  private static boolean thrownByTheDecoder(Throwable t) {
    for (StackTraceElement f : t.getStackTrace()) {
      if (f.getClassName().startsWith(DECODER_PACKAGE)) {
        return true;
      }
    }
    return false;
  }

  private static String bounded(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < m.length() && b.length() < MAX_DETAIL; i++) {
      char c = m.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return m.length() > MAX_DETAIL ? b.append("…").toString() : b.toString();
  }
}
