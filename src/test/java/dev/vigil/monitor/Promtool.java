package dev.vigil.monitor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool} (Debian package {@code prometheus}) when it is on PATH. */
public final class Promtool {
  private Promtool() {}

  public static Optional<String> path() {
    String env = System.getenv("PATH");
    if (env == null) {
      return Optional.empty();
    }
    for (String dir : env.split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return Optional.of(f.getAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** {@code promtool check metrics} on {@code exposition}: its combined output (empty when clean). */
  public static String checkMetrics(String exposition) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(path().orElseThrow(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("promtool did not finish in 30 s");
    }
    return out.trim();
  }
}
