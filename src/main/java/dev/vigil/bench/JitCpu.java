package dev.vigil.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a JVM's JIT compiler threads ({@code C1 CompilerThread}, {@code C2 CompilerThread}) have
 * used, read from Linux's {@code /proc/PID/task/}: a benchmark prints it beside the process CPU so a
 * window that still compiles is seen as such, not read as the cost of the work measured. Elsewhere
 * (no {@code /proc}) it answers -1. Stateless and thread-safe.
 */
final class JitCpu {
  /** Linux's USER_HZ, the unit of {@code utime} and {@code stime} in {@code /proc}: 100 on every mainstream build. */
  private static final long TICK_NANOS = 10_000_000L;

  private JitCpu() {}

  /** The compiler threads' CPU time in nanoseconds so far, or -1 when it cannot be read. */
  static long nanos(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long ticks = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
      for (Path t : ds) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended while listed
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || !stat.substring(open + 1, close).contains("CompilerThre")) {
          continue;
        }
        String[] f = stat.substring(close + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks * TICK_NANOS;
  }

  /** Of this JVM. */
  static long nanos() {
    return nanos(ProcessHandle.current().pid());
  }
}
