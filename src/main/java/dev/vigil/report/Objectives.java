package dev.vigil.report;

import static dev.vigil.report.ReportBuilder.AVAILABILITY_OBJECTIVE;
import static dev.vigil.report.ReportBuilder.COMPLIANCE_OBJECTIVE;
import static dev.vigil.report.ReportBuilder.P95_OBJECTIVE_MS;
import static dev.vigil.report.ReportBuilder.RPS_OBJECTIVE;

import java.util.List;

/**
 * The seed's four readiness objectives judged from the fleet's figures. A percentage objective is
 * judged on bounds: the lower bound counts uncovered target-time as failing, the upper bound as
 * passing; it is met when the lower bound passes, not met when the upper bound fails, and
 * undetermined in between. The SLO objectives are met only with the whole period covered. Pure.
 */
final class Objectives {
  private Objectives() {}

  static List<Report.Objective> of(Report.Fleet f) {
    boolean complete = f.targets() > 0 && f.coveredMillis() == f.targetMillis();
    return List.of(
        percent("compliance", "compliance > 95 %", f.compliantMillis(), f, v -> v > COMPLIANCE_OBJECTIVE,
            "time under verdict compliant / covered target-time, all targets"),
        percent("availability", "availability >= 99.9 %", f.availableMillis(), f, v -> v >= AVAILABILITY_OBJECTIVE,
            "time not under an availability verdict (unreachable, timeout, tls_error, http_error) / covered target-time"),
        slo("p95", "p95 latency <= 2 s", f.worstP95Ms(), "ms", complete, v -> v <= P95_OBJECTIVE_MS, true,
            "the largest p95LatencyMs any service's signed report gave in the period"),
        slo("rps", "throughput >= 1000 RPS fleet-wide", f.rpsSum(), "RPS", complete, v -> v >= RPS_OBJECTIVE, false,
            "the sum over targets of the median requestsPerSecond of their signed reports"));
  }

  private static Report.Objective percent(String id, String rule, long passMillis, Report.Fleet f,
      java.util.function.DoublePredicate passes, String basis) {
    if (f.coveredMillis() == 0) {
      return new Report.Objective(id, rule, null, "%", Report.Status.NO_EVIDENCE, basis);
    }
    double figure = 100.0 * passMillis / f.coveredMillis();
    double lower = 100.0 * passMillis / f.targetMillis();
    double upper = 100.0 * (passMillis + f.targetMillis() - f.coveredMillis()) / f.targetMillis();
    Report.Status s = passes.test(lower) ? Report.Status.MET
        : !passes.test(upper) ? Report.Status.NOT_MET : Report.Status.UNDETERMINED;
    return new Report.Objective(id, rule, figure, "%", s, basis);
  }

  private static Report.Objective slo(String id, String rule, Double figure, String unit, boolean complete,
      java.util.function.DoublePredicate passes, boolean failureIsConclusive, String basis) {
    Report.Status s;
    if (figure == null) {
      s = Report.Status.NO_EVIDENCE;
    } else if (!passes.test(figure) && (complete || failureIsConclusive)) {
      s = Report.Status.NOT_MET;
    } else {
      s = complete && passes.test(figure) ? Report.Status.MET : Report.Status.UNDETERMINED;
    }
    return new Report.Objective(id, rule, figure, unit, s, basis);
  }
}
