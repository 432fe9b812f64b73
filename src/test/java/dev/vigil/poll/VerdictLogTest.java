package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.score.TargetId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** One WARN per verdict-family change of a target, DEBUG for the rest. */
class VerdictLogTest {
  private static final TargetId A = new TargetId("auth-service", "green");
  private static final TargetId B = new TargetId("integrity-service", "green");

  private static Verification v(Verdict verdict, String detail) {
    return new Verification(verdict, detail, false, List.of(), null);
  }

  @Test
  void warnsOncePerFamilyChangeAndOtherwiseLogsAtDebug() {
    VerdictLog log = new VerdictLog();
    assertThat(log.record(A, v(Verdict.COMPLIANT, "ok"))).isEqualTo(Level.DEBUG);
    assertThat(log.record(A, v(Verdict.TIMEOUT, "no answer"))).isEqualTo(Level.WARN);
    assertThat(log.record(A, v(Verdict.HTTP_ERROR, "malformed HTTP response"))).as("same family").isEqualTo(Level.DEBUG);
    assertThat(log.record(A, v(Verdict.UNREACHABLE, "refused"))).isEqualTo(Level.DEBUG);
    assertThat(log.record(A, v(Verdict.HASH_MISMATCH, "hash"))).isEqualTo(Level.WARN);
    assertThat(log.record(A, v(Verdict.COMPLIANT, "ok"))).isEqualTo(Level.WARN);
    assertThat(log.record(B, v(Verdict.TIMEOUT, "no answer"))).as("a first failing verdict").isEqualTo(Level.WARN);
    assertThat(log.record(B, v(Verdict.TIMEOUT, "no answer"))).isEqualTo(Level.DEBUG);
  }

  @Test
  void aForgottenTargetStartsAfresh() {
    VerdictLog log = new VerdictLog();
    log.record(A, v(Verdict.TIMEOUT, "x"));
    log.retain(Set.of(B));
    assertThat(log.record(A, v(Verdict.TIMEOUT, "x"))).isEqualTo(Level.WARN);
  }

  @Test
  void theDetailIsBoundedAndHasNoControlCharacters() {
    String hostile = "evil\r\n[ERROR] forged line" + "x".repeat(5000);
    String clean = VerdictLog.clean(hostile);
    assertThat(clean).doesNotContain("\r").doesNotContain("\n").hasSizeLessThanOrEqualTo(301).endsWith("…");
  }
}
