package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The migration demo, shortened (2 s per step), in-process on free ports: real simulator, embedded
 * broker, rollback controller running the plan, and Debian's prometheus when installed.
 */
class DemoMigrationIT {
  private static String run(String... extra) {
    String[] base = {"demo", "--scenario", "migration", "--step-interval", "2s", "--port", "0", "--base-port", "0",
        "--admin-port", "0"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    String text = out.toString();
    assertThat(code).as("exit code; output:%n%s%n%s", text, err).isZero();
    return text;
  }

  private static void assertThePlanStoppedAtFormalVerification(String text, String failedCheck) {
    assertThat(text)
        .contains("ROLLOUT  auth-service started: blue -> green in steps [10, 50, 90, 100] %; then 6 more service(s)")
        .containsPattern("STEP +auth-service step 2/4: green 50 % / blue 50 %")
        .containsPattern("ROLLOUT +auth-service PROMOTED in \\d+\\.\\d s \\(router: blue 0 % / green 100 %\\)")
        .containsPattern("ROLLOUT +integrity-service PROMOTED")
        .containsPattern("FAULT +formal-verification-service/green takes 50 % of the traffic and slows down")
        .containsPattern("ANALYSIS formal-verification-service FAILED \\(\\d failed in a row\\): " + failedCheck
            + " \\S+ FAILED \\(threshold 2.0\\)")
        .containsPattern("ROLLOUT +formal-verification-service ABORTING: analysis failed: " + failedCheck)
        .containsPattern("ROLLOUT +formal-verification-service ABORTED after \\d+\\.\\d s \\(router: blue 100 % / green 0 %\\)"
            + ".*traffic back on blue, validated.*first failing analysis -> traffic back on blue and validated: \\d+\\.\\d s")
        .contains("PLAN     stopped at formal-verification-service")
        .contains("governance-synthesis-service, policy-governance-service, executive-council-service stay on blue")
        .contains("formal-verification-service aborted, governance-synthesis-service not started")
        .containsPattern("FIGURES +\\d+ steps applied: \\d+\\.\\d s per step on average")
        .containsPattern("FIGURES +plan end to end: \\d+\\.\\d s")
        .containsPattern("EVENTS +\\d+ signed events on constitutional.rollouts, every one verified: 4 "
            + "dev.vigil.rollout.finished, \\d+ dev.vigil.rollout.step");
    assertThat(text).doesNotContain("governance-synthesis-service started");
    assertThat(text.indexOf("integrity-service PROMOTED")).isLessThan(text.indexOf("formal-verification-service started"));
  }

  @Test
  void withPrometheusTheMeasuredLatencyAbortsFormalVerificationAndStopsThePlan() {
    assumeTrue(DemoPrometheus.executable().isPresent(),
        "prometheus not installed (Debian package prometheus): the PromQL-gated migration is not run");
    String text = run();
    assertThat(text).containsPattern("Prometheus +http://127\\.0\\.0\\.1:\\d+ scrapes the simulator's traffic");
    assertThePlanStoppedAtFormalVerification(text, "measured_p95");
    assertThat(text).contains("its signed SLO report does not change (fault slow_traffic)");
  }

  @Test
  void withoutPrometheusTheDemoSaysSoAndTheSignedReportAbortsIt() {
    String text = run("--no-prometheus");
    assertThat(text).contains("Prometheus      off (--no-prometheus): the rollouts gate on signed evidence only")
        .doesNotContain("measured_p95");
    assertThePlanStoppedAtFormalVerification(text, "latency_p95");
  }
}
