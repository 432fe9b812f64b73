package dev.vigil.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on the test classpath (for crash tests: {@code kill -9} of a real process), its
 * stdout lines in a queue, stderr in a log file. {@link #close} kills it.
 */
public final class ChildJvm implements AutoCloseable {
  public final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  public ChildJvm(Path log, String mainClass, String... args) throws IOException {
    this(log, List.of(), mainClass, args);
  }

  /** A child JVM whose open-file limit is {@code maxOpenFiles} ({@code ulimit -n}, then exec: the same PID). */
  public static ChildJvm withOpenFileLimit(Path log, int maxOpenFiles, String mainClass, String... args) throws IOException {
    return new ChildJvm(log, List.of("bash", "-c", "ulimit -n " + maxOpenFiles + " && exec \"$0\" \"$@\""), mainClass, args);
  }

  private ChildJvm(Path log, List<String> prefix, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null;) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process died
      }
    }, "child-stdout");
    t.setDaemon(true);
    t.start();
  }

  /** The next stdout line starting with {@code prefix}, waiting at most {@code max}. */
  public String next(String prefix, Duration max) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      String l = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (l != null && l.startsWith(prefix)) {
        return l;
      }
    }
    throw new AssertionError("no line " + prefix + " within " + max + " (alive=" + process.isAlive() + ")");
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
