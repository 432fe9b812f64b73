package dev.vigil.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A checkpoint as a C2SP signed note: the {@link Checkpoint#body()}, a blank line, and one line
 * {@code — <key name> <base64(key hash || Ed25519 signature over the body)>} per signer. The
 * monitor signs as its origin ({@code vigil.dev/<monitorId>}) with its event key.
 *
 * <p>{@link #open} is strict and answers with a value: a body that is not exactly a checkpoint, a
 * line that is not a signature line, no signature by the expected key, or a signature that does not
 * verify are each a named {@link Failure}. Signature lines of other keys (cosigners) are allowed,
 * as the signed-note specification says. Pure functions; thread-safe.
 */
public final class SignedCheckpoint {
  private static final String DASH = "\u2014 ";
  private static final int MAX_NOTE_BYTES = 1 << 16;
  private static final int MAX_SIGNATURES = 100;

  private SignedCheckpoint() {}

  /** Why a signed checkpoint is refused. */
  public enum Failure {
    /** Not a signed note holding a three-line checkpoint body (extra lines, bad size or root, no blank line). */
    MALFORMED,
    /** No signature line names the expected key with its key hash (re-signed with another key, or unsigned). */
    NOT_SIGNED_BY_KEY,
    /** A signature line of the expected key does not verify over the body. */
    BAD_SIGNATURE
  }

  /** The answer of {@link #open}. */
  public sealed interface Result permits Verified, Rejected {}

  /** The note verified; its checkpoint. */
  public record Verified(Checkpoint checkpoint) implements Result {}

  /** The note was refused; {@code detail} is one line, never key material. */
  public record Rejected(Failure failure, String detail) implements Result {}

  /** The signed note of {@code checkpoint}, signed by {@code key}. */
  public static String sign(Checkpoint checkpoint, NoteKey key) {
    byte[] sig = key.sign(checkpoint.bodyBytes());
    return checkpoint.body() + "\n" + DASH + key.name() + " " + Base64.getEncoder().encodeToString(sig) + "\n";
  }

  /** Parses and verifies a signed checkpoint against {@code key}. */
  public static Result open(byte[] note, NoteKey key) {
    if (note.length > MAX_NOTE_BYTES) {
      return new Rejected(Failure.MALFORMED, "the note has " + note.length + " bytes, at most " + MAX_NOTE_BYTES);
    }
    String text = new String(note, StandardCharsets.UTF_8);
    if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), note)) {
      return new Rejected(Failure.MALFORMED, "the note is not UTF-8");
    }
    if (text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      return new Rejected(Failure.MALFORMED, "the note holds a control character");
    }
    int split = text.lastIndexOf("\n\n");
    if (split < 0 || !text.endsWith("\n")) {
      return new Rejected(Failure.MALFORMED, "no blank line between the body and the signatures, or no final newline");
    }
    String body = text.substring(0, split + 1);
    Checkpoint cp = Checkpoint.parseBody(body);
    if (cp == null) {
      long lines = body.chars().filter(c -> c == '\n').count();
      return new Rejected(Failure.MALFORMED, lines != 3
          ? "the body has " + lines + " lines; a checkpoint has 3 (origin, size, root)"
          : "the body is not origin, decimal size, base64 32-byte root");
    }
    List<String> sigLines = List.of(text.substring(split + 2, text.length() - 1).split("\n", -1));
    if (sigLines.size() > MAX_SIGNATURES) {
      return new Rejected(Failure.MALFORMED, "more than " + MAX_SIGNATURES + " signature lines");
    }
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    List<String> others = new ArrayList<>();
    boolean badOwn = false;
    boolean goodOwn = false;
    for (int i = 0; i < sigLines.size(); i++) {
      String line = sigLines.get(i);
      String[] parts = line.startsWith(DASH) ? line.substring(DASH.length()).split(" ", -1) : new String[0];
      byte[] sig;
      try {
        sig = parts.length == 2 && !parts[0].isEmpty() && !parts[0].contains("+")
            ? Base64.getDecoder().decode(parts[1]) : null;
      } catch (IllegalArgumentException e) {
        sig = null;
      }
      if (sig == null || sig.length < 5) {
        return new Rejected(Failure.MALFORMED, "line " + (i + 5) + " is not a signature line '— <name> <base64>'");
      }
      if (parts[0].equals(key.name()) && key.hashMatches(sig)) {
        if (key.verifies(bodyBytes, sig)) {
          goodOwn = true;
        } else {
          badOwn = true;
        }
      } else {
        others.add(Entry.clip(parts[0]));
      }
    }
    if (badOwn) {
      return new Rejected(Failure.BAD_SIGNATURE, "the signature of " + key + " does not verify over the checkpoint body");
    }
    if (!goodOwn) {
      return new Rejected(Failure.NOT_SIGNED_BY_KEY, "no signature by " + key + "; signed by " + others);
    }
    return new Verified(cp);
  }
}
