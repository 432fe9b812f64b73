package dev.vigil.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.ByteBuffer;

/**
 * The one way Vigil reads a file it is given (configuration, keys, certificates, constitution,
 * envelopes): it must be a regular file no larger than a cap, checked before a byte is read, so
 * {@code /dev/zero} cannot exhaust the heap and a FIFO cannot hang a load or a reload. Every
 * failure is a {@link Problem} whose message names the path and says why in words. Stateless and
 * thread-safe.
 */
public final class BoundedFiles {
  /** Cap on a key or certificate file (PEM). */
  public static final long KEY_MAX_BYTES = 1L << 20;
  /** Cap on the configuration file: 3 MiB, also the YAML parser's own limit in code points. */
  public static final long CONFIG_MAX_BYTES = 3L << 20;
  /** Cap on a constitution document. */
  public static final long DOCUMENT_MAX_BYTES = 16L << 20;

  private BoundedFiles() {}

  /** A file that is missing, unreadable, not a regular file or over its cap; the message is the whole story. */
  public static final class Problem extends IOException {
    private static final long serialVersionUID = 1L;

    Problem(Path file, String why) {
      super("cannot read " + file + ": " + why);
    }
  }

  /** Throws a {@link Problem} unless {@code file} is a readable regular file of at most {@code maxBytes}. */
  public static void check(Path file, long maxBytes) throws Problem {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new Problem(file, "no such file");
    } catch (AccessDeniedException e) {
      throw new Problem(file, "permission denied");
    } catch (IOException e) {
      throw new Problem(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    if (attrs.isDirectory()) {
      throw new Problem(file, "it is a directory");
    }
    if (!attrs.isRegularFile()) {
      throw new Problem(file, "not a regular file (a device, FIFO or socket)");
    }
    if (attrs.size() > maxBytes) {
      throw new Problem(file, "larger than " + describe(maxBytes) + " (" + attrs.size() + " bytes)");
    }
    if (!Files.isReadable(file)) {
      throw new Problem(file, "permission denied");
    }
  }

  /** The bytes of {@code file} after {@link #check}; a file that grew past the cap meanwhile is refused too. */
  public static byte[] read(Path file, long maxBytes) throws Problem {
    check(file, maxBytes);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (AccessDeniedException e) {
      throw new Problem(file, "permission denied");
    } catch (IOException e) {
      throw new Problem(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    if (bytes.length > maxBytes) {
      throw new Problem(file, "larger than " + describe(maxBytes));
    }
    return bytes;
  }

  /** {@link #read} decoded as strict UTF-8. */
  public static String readUtf8(Path file, long maxBytes) throws Problem {
    byte[] bytes = read(file, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new Problem(file, "not UTF-8 text");
    }
  }

  /** "1 MiB", "4 MiB", or the byte count when not a whole number of MiB. */
  public static String describe(long bytes) {
    return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
