package dev.vigil.recordlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole-file operations of a {@link RecordLog}: replacing it crash-safely (write
 * {@code <file>.tmp}, force, rename over it, force the directory), finishing a replacement a crash
 * interrupted, and keeping a damaged file aside. Stateless.
 */
final class LogFiles {
  private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);

  private LogFiles() {}

  /** Writes the content of a replacement. */
  interface Body {
    void write(FileChannel out) throws IOException;
  }

  /**
   * Replaces {@code file} by what {@code body} writes: atomically where the file system can rename
   * atomically, else by a plain rename (a crash inside it leaves only {@code .tmp}, which
   * {@link #finishInterruptedRewrite} completes). When it throws, {@code file} is untouched, or (a
   * failed plain rename) absent with the new content in {@code .tmp}.
   */
  static void replace(Path file, RecordLog.Io io, Body body) throws IOException {
    Path tmp = tmpOf(file);
    try (FileChannel out = io.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      body.write(out);
      out.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot rewrite the record log " + file + ": " + e.getMessage(), e);
    }
    try {
      try {
        io.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        LOG.debug("record log {}: no atomic rename here, using a plain one", file);
        io.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (Files.exists(file)) {
        Files.deleteIfExists(tmp);
      }
      throw new IOException("cannot replace the record log " + file + ": " + e.getMessage(), e);
    }
    forceDirectory(file);
  }

  static Path tmpOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  static void refuseDirectory(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a record log");
    }
  }

  /** A crash inside a non-atomic rename leaves the new log as {@code .tmp} alone; any other {@code .tmp} is stale. */
  static void finishInterruptedRewrite(Path file, RecordLog.Io io) throws IOException {
    Path tmp = tmpOf(file);
    if (!Files.exists(file) && Files.isRegularFile(tmp)) {
      LOG.warn("record log {}: finishing a rewrite interrupted by a crash (renaming {})", file, tmp);
      io.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(file);
    } else {
      Files.deleteIfExists(tmp);
    }
  }

  static Path keepAside(Path file, int maxAside) {
    for (int n = 1; n <= maxAside; n++) {
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + n);
      if (!Files.exists(aside)) {
        try {
          Files.copy(file, aside);
          return aside;
        } catch (IOException e) {
          LOG.error("record log {}: cannot keep the damaged file as {}: {}", file, aside, e.toString());
          return null;
        }
      }
    }
    LOG.error("record log {}: {} damaged copies are kept already; remove them to keep more", file, maxAside);
    return null;
  }

  static void forceDirectory(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }
}
