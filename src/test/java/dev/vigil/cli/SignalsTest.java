package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP reload in a child JVM started as an operator would: plainly, and under {@code nohup}
 * (which starts the process with SIGHUP ignored; the JVM then keeps it ignored).
 */
class SignalsTest {
  @TempDir Path dir;

  /** The child: installs the handler and prints whether it did. */
  public static final class Child {
    public static void main(String[] args) {
      System.out.println("installed=" + Signals.onHangup(() -> { }));
    }
  }

  private String[] run(boolean nohup) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (nohup) {
      cmd.add("nohup");
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Child.class.getName()));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child ended").isTrue();
    return new String[] {Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
  }

  @Nested
  class Hangup {
    @Test
    void isInstalledInAPlainProcess() throws Exception {
      String[] r = run(false);
      assertThat(r[0]).contains("installed=true");
      assertThat(r[1]).doesNotContain("SIGHUP is ignored");
    }

    @Test
    void underNohupIsNotInstalledAndOneWarnPointsToTheReloadEndpoint() throws Exception {
      String[] r = run(true);
      assertThat(r[0]).contains("installed=false");
      assertThat(r[0] + r[1]).contains("SIGHUP is ignored").contains("POST /-/reload");
    }
  }
}
