package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        .contains("demo over:");
    assertThat(text.indexOf("OPENED hash_mismatch")).isLessThan(text.indexOf("RESOLVED hash_mismatch"));
    assertThat(text).doesNotContain("auth-service/green compliant ->");
  }
}
