package dev.vigil.rollout;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verification;
import dev.vigil.rollback.BlueProbe;
import dev.vigil.score.Rule;
import dev.vigil.score.RuleKind;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence checks: {@code attestations} (the {@code to} side attested compliant {@code count}
 * times in a row, each its own poll with a fresh nonce through the monitor's poller and verifier,
 * stopping at the first that is not), and, when enabled, the signed SLO report of the last
 * compliant attestation against the fleet's enabled {@code latency_p95}, {@code error_rate} and
 * {@code throughput} rules (a report without the figure: inconclusive).
 *
 * <p>Use from one Vert.x context (the probe's).
 */
public final class AttestationAnalysis implements Analysis {
  private final BlueProbe probe;
  private final int count;
  private final boolean slo;
  private final List<Rule> rules;

  /** {@code probe} polls the {@code to} side (a {@link dev.vigil.rollback.PollerBlueProbe} of that environment). */
  public AttestationAnalysis(BlueProbe probe, int count, boolean slo, List<Rule> rules) {
    this.probe = probe;
    this.count = count;
    this.slo = slo;
    this.rules = rules.stream().filter(Rule::enabled).filter(r -> r.kind() == RuleKind.LATENCY_P95
        || r.kind() == RuleKind.ERROR_RATE || r.kind() == RuleKind.THROUGHPUT).toList();
  }

  @Override
  public Future<List<Check>> run(String service, String environment) {
    return poll(service, 0, null).map(last -> {
      List<Check> out = new ArrayList<>();
      out.add(Check.count("attestations", last.streak, count, last.streak >= count));
      if (slo) {
        out.addAll(slo(last.statement));
      }
      return out;
    });
  }

  /** The streak so far and the statement of its last compliant attestation. */
  private record Streak(int streak, Statement statement) {}

  private Future<Streak> poll(String service, int streak, Statement last) {
    if (streak >= count) {
      return Future.succeededFuture(new Streak(streak, last));
    }
    return probe.probe(service).transform(ar -> {
      Verification v = ar.succeeded() ? ar.result() : null;
      if (v == null || !v.compliant()) {
        return Future.succeededFuture(new Streak(streak, last));
      }
      return poll(service, streak + 1, v.statement());
    });
  }

  /** The SLO checks of {@code s}'s report (null: no compliant attestation, so no report to read). */
  List<Check> slo(Statement s) {
    Statement.Slo report = s == null ? null : s.slo();
    List<Check> out = new ArrayList<>();
    for (Rule r : rules) {
      Double value = report == null ? null : switch (r.kind()) {
        case LATENCY_P95 -> report.p95LatencyMs() == null ? null : report.p95LatencyMs() / 1000.0;
        case ERROR_RATE -> report.errorRate();
        default -> report.requestsPerSecond();
      };
      if (value == null) {
        out.add(Check.noData(r.name(), r.threshold()));
      } else {
        boolean passed = r.kind() == RuleKind.THROUGHPUT ? value >= r.threshold() : value <= r.threshold();
        out.add(Check.of(r.name(), value, r.threshold(), passed));
      }
    }
    return out;
  }
}
