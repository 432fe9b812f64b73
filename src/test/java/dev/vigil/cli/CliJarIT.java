package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged target/vigil.jar, run as a child process with the current JVM (failsafe, after package). */
class CliJarIT {
  static final Path BASEDIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  static final Path JAR = BASEDIR.resolve("target/vigil.jar");
  static final List<String> EXAMPLE = List.of("verify",
      "--file", BASEDIR.resolve("examples/attestation.json").toString(),
      "--service", "integrity-service", "--environment", "green",
      "--key", BASEDIR.resolve("examples/ed25519-a.pub.pem").toString(),
      "--nonce", "n0nce-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "--now", "2026-11-26T18:00:00Z");

  @TempDir Path tmp;

  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  /**
   * Failsafe runs this after {@code package}, so the jar is there. Surefire also picks it up when
   * {@code -Dtest=...} names it (that overrides the *IT exclusion); before {@code package} there is
   * no jar to run, and the test is skipped rather than failed.
   */
  @BeforeAll
  static void jarIsBuilt() {
    assumeTrue(Files.isRegularFile(JAR), JAR + " is not built yet (mvn package); skipping the jar tests");
  }

  static String java() {
    Path home = Path.of(System.getProperty("java.home"), "bin", "java");
    return ProcessHandle.current().info().command().orElse(home.toString());
  }

  /** Runs {@code java -jar target/vigil.jar args} from a directory other than the project. */
  Run vigil(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
    command.addAll(args);
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(command).directory(tmp.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      boolean finished = p.waitFor(60, TimeUnit.SECONDS);
      assertThat(finished).as("vigil %s finished within 60 s", args).isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  Run vigil(String... args) throws IOException, InterruptedException {
    return vigil(Arrays.asList(args));
  }

  static List<String> example(String... extra) {
    List<String> args = new ArrayList<>(EXAMPLE);
    args.addAll(Arrays.asList(extra));
    return args;
  }

  @Nested
  class Version {
    @Test
    void versionExitsZero() throws Exception {
      Run r = vigil("--version");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("vigil ").doesNotContain("${project.version}");
    }
  }

  @Nested
  class ShippedExample {
    @Test
    void verifiesAsCompliant() throws Exception {
      Run r = vigil(example());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("compliant: integrity-service/green");
    }

    @Test
    void otherExpectedHashExitsOneWithHashMismatch() throws Exception {
      Run r = vigil(example("--expected-hash", "deadbeefdeadbeef"));

      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).startsWith("hash_mismatch:");
    }

    @Test
    void fiveMinutesLaterItIsStale() throws Exception {
      Run r = vigil(withNow("2026-11-26T18:05:00Z"));

      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).startsWith("stale:");
    }

    @Test
    void badNowExitsTwoNamingIt() throws Exception {
      Run r = vigil(withNow("yesterday"));

      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("--now", "yesterday");
      assertThat(r.out()).isEmpty();
    }
  }

  /** The example with another --now (the last two arguments of EXAMPLE). */
  static List<String> withNow(String now) {
    List<String> args = new ArrayList<>(EXAMPLE.subList(0, EXAMPLE.size() - 2));
    args.add("--now");
    args.add(now);
    return args;
  }
}
