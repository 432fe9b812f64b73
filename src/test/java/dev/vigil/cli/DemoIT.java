package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.logging.Logging;
import dev.vigil.testing.LogCapture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demo, shortened, in-process on free ports: tamper, breach, clear, resolution, clean end; and
 * its terminal shows the timeline, not the embedded broker's or Kafka clients' own lines.
 */
class DemoIT {
  /** A Kafka library logger: the clients' and the broker's. */
  static boolean kafkaLogger(String name) {
    return name.startsWith("org.apache.kafka.") || name.startsWith("kafka.") || name.equals("state.change.logger");
  }

  /**
   * A text log line ({@code log4j2.xml}'s pattern) whose logger is not Vigil's: its short name is not
   * a class of dev.vigil nor one of Vigil's named loggers. Null when {@code line} is not a log line.
   */
  static String foreignLogLine(String line, Set<String> vigilNames) {
    Matcher m = LOG_LINE.matcher(line);
    return m.find() && !vigilNames.contains(m.group(2)) ? line : null;
  }

  private static final Pattern LOG_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+-]\\d{4} \\[(TRACE|DEBUG|INFO|WARN|ERROR)] (\\S+) - ");

  /** The short names Vigil's own log lines carry: its classes' and its named loggers'. */
  static Set<String> vigilLoggerNames() throws java.io.IOException {
    Set<String> names = new java.util.HashSet<>(Set.of("Breaches", "Kafka", "StreamResets", "Decisions"));
    Path classes = Path.of("target", "classes", "dev", "vigil");
    try (Stream<Path> files = Files.walk(classes)) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replaceAll("\\$.*", "")).forEach(names::add);
    }
    return names;
  }

  @Test
  void theTamperOpensAHashBreachThatResolvesWhenCleared() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    List<LogCapture.Line> logged;
    try (LogCapture logs = LogCapture.begin()) { // follows the demo's own Logging.configure
      code = Main.execute(new String[] {"demo", "--duration", "12s", "--interval", "500ms", "--tamper-at", "3s",
          "--clear-after", "4s", "--port", "0", "--base-port", "0", "--admin-port", "0"}, new PrintWriter(out),
          new PrintWriter(err));
      logged = logs.lines();
    } finally {
      Logging.configure(Logging.Settings.defaults());
    }
    String text = out.toString();
    assertThat(logged).as("the demo's own lines were captured")
        .anySatisfy(l -> assertThat(l.logger()).startsWith("dev.vigil."));
    assertThat(logged).as("Kafka's clients' and broker's lines on the demo's terminal")
        .filteredOn(l -> kafkaLogger(l.logger()) || l.message().contains("QuorumController")).isEmpty();
    assertThat(code).as(text + err).isZero();
    assertThat(text).contains("status page     http://127.0.0.1:")
        .contains("FAULT    tampering integrity-service/green")
        .contains("VERDICT  integrity-service/green compliant -> hash_mismatch")
        .containsPattern("BREACH +OPENED hash_mismatch \\(critical\\) integrity-service/green: observed deadbeefdeadbeef, "
            + "expected cdd01ef066bc6cf2, detected \\d+\\.\\d s after the fault")
        .contains("BREACH   RESOLVED hash_mismatch integrity-service/green")
        .contains("Kafka (embedded) 127.0.0.1:")
        .containsPattern("ROLLBACK succeeded integrity-service green->blue in \\d+\\.\\d s \\(breach detected \\d+\\.\\d s "
            + "after the fault; breach detected -> rollback finished \\d+\\.\\d s\\): blue attested compliant")
        .contains("traffic integrity-service green 0 % / blue 100 %")
        .contains("demo over:");
    assertThat(text.indexOf("OPENED hash_mismatch")).isLessThan(text.indexOf("RESOLVED hash_mismatch"));
    assertThat(text).doesNotContain("auth-service/green compliant ->");
    // the evidence is left behind with the commands to check it, and they pass
    java.util.regex.Matcher audit = java.util.regex.Pattern.compile("java -jar target/vigil.jar (audit verify [^\n]+)")
        .matcher(text);
    java.util.regex.Matcher report = java.util.regex.Pattern.compile("java -jar target/vigil.jar (report [^\n]+) --out \\S+")
        .matcher(text);
    assertThat(audit.find()).as(text).isTrue();
    assertThat(report.find()).as(text).isTrue();
    Cli.Result verified = Cli.run(audit.group(1).split(" "));
    assertThat(verified.code()).as(verified.toString()).isZero();
    assertThat(verified.out()).containsPattern("verified: [1-9][0-9]* entries");
    Cli.Result reported = Cli.run((report.group(1).replace("--format html", "--format json")).split(" "));
    assertThat(reported.code()).as(reported.toString()).isZero();
    assertThat(reported.out()).contains("integrity-service", "hash_mismatch");
  }

  @Test
  void ctrlCEndsItCleanly() throws Exception {
    assumeTrue(Files.isRegularFile(CliJarIT.JAR), "target/vigil.jar is not built yet");
    Process p = new ProcessBuilder(CliJarIT.java(), "-jar", CliJarIT.JAR.toString(), "demo", "--duration", "0s",
        "--port", "0", "--base-port", "0", "--admin-port", "0").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("runs until Ctrl-C")) {
              return true;
            }
          }
        } catch (java.io.IOException e) {
          return false;
        }
        return false;
      });
      assertThat(started.get(60, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
      assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ends within 30 s of Ctrl-C").isTrue();
      String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(rest).contains("demo over:").doesNotContain("Exception");
      String all = seen + rest;
      Set<String> vigil = vigilLoggerNames();
      assertThat(all.lines().map(l -> foreignLogLine(l, vigil)).filter(java.util.Objects::nonNull).toList())
          .as("third-party log lines on the demo's terminal (start to Ctrl-C): %s", all).isEmpty();
      assertThat(all).doesNotContain("QuorumController").doesNotContain("NetworkClient");
    } finally {
      p.destroyForcibly();
    }
  }
}
