package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The demo, shortened, in-process on free ports: tamper, breach, clear, resolution, clean end. */
class DemoIT {
  @Test
  void theTamperOpensAHashBreachThatResolvesWhenCleared() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new String[] {"demo", "--duration", "12s", "--interval", "500ms", "--tamper-at", "3s",
        "--clear-after", "4s", "--port", "0", "--base-port", "0", "--admin-port", "0"}, new PrintWriter(out), new PrintWriter(err));
    String text = out.toString();
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
    } finally {
      p.destroyForcibly();
    }
  }
}
