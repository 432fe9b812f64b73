package dev.vigil.score;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Evaluates one {@link Rule} against one observation and the target's window, without state:
 * counting consecutive failures and opening or resolving breaches is the {@link Scorer}'s job.
 *
 * <p>The verdict kinds look only at the observation's verdict; the windowed kinds compute a value
 * over the observations in the window of {@link Rule#window()} ending at the observation's time
 * (see {@link TargetWindow} for the window's bounds). The kinds a partition suspends
 * ({@code availability}, {@code latency_p95}, {@code compliance_score}) leave out the transport failures attributed to a
 * partition: those measure the monitor's own reachability, not the target's. Pure and stateless.
 */
final class RuleEvaluator {
  private RuleEvaluator() {}

  /**
   * @param o the observation just recorded; it is inside {@code window}
   * @param expectedHash the constitutional hash the target should report, or null if unknown
   */
  static Evaluation evaluate(Rule rule, Observation o, TargetWindow window, String expectedHash) {
    Verdict v = o.verdict();
    switch (rule.kind()) {
      case HASH_MISMATCH:
        if (v == Verdict.HASH_MISMATCH) {
          return Evaluation.of(true, orUnknown(o.observedHash()), orUnknown(expectedHash));
        }
        return hashVerified(v) ? Evaluation.of(false, orUnknown(o.observedHash()), orUnknown(expectedHash))
            : Evaluation.NO_EVIDENCE;
      case INTEGRITY:
        if (v.isIntegrity() && v != Verdict.HASH_MISMATCH) {
          return Evaluation.of(true, v.label(), Verdict.COMPLIANT.label());
        }
        return hashVerified(v) || v == Verdict.HASH_MISMATCH
            ? Evaluation.of(false, v.label(), Verdict.COMPLIANT.label())
            : Evaluation.NO_EVIDENCE;
      default:
        return windowed(rule, window.within(o.at(), rule.window(), suspendedByPartition(rule.kind())));
    }
  }

  private static Evaluation windowed(Rule rule, List<Observation> in) {
    OptionalDouble value = value(rule.kind(), in);
    if (value.isEmpty()) {
      return Evaluation.NO_EVIDENCE;
    }
    double x = value.getAsDouble();
    boolean failing = lowerIsWorse(rule.kind()) ? x < rule.threshold() : x > rule.threshold();
    return Evaluation.of(failing, x, rule.threshold());
  }

  /** The rule's measure over the observations; empty when there is nothing to measure. */
  static OptionalDouble value(RuleKind kind, List<Observation> in) {
    switch (kind) {
      case COMPLIANCE_SCORE:
        return complianceShare(in);
      case AVAILABILITY:
        return in.isEmpty() ? OptionalDouble.empty()
            : OptionalDouble.of((double) in.stream().filter(Observation::responded).count() / in.size());
      case LATENCY_P95:
        return latencyP95Seconds(in);
      case ERROR_RATE:
        return sloMean(in, Statement.Slo::errorRate);
      case THROUGHPUT:
        return sloMean(in, Statement.Slo::requestsPerSecond);
      default:
        throw new IllegalArgumentException(kind + " is not a windowed rule kind");
    }
  }

  /** Share of {@code compliant} verdicts; empty when there are no observations. */
  static OptionalDouble complianceShare(List<Observation> in) {
    if (in.isEmpty()) {
      return OptionalDouble.empty();
    }
    long compliant = in.stream().filter(x -> x.verdict() == Verdict.COMPLIANT).count();
    return OptionalDouble.of((double) compliant / in.size());
  }

  /** Windowed kinds whose threshold is a floor (fail below it); the others fail above it. */
  static boolean lowerIsWorse(RuleKind kind) {
    return kind == RuleKind.COMPLIANCE_SCORE || kind == RuleKind.AVAILABILITY || kind == RuleKind.THROUGHPUT;
  }

  /** True for the verdicts that are only reached after the hash was checked and found equal. */
  private static boolean hashVerified(Verdict v) {
    return v == Verdict.COMPLIANT || v == Verdict.COMPLIANCE_INACTIVE;
  }

  /**
   * The worse of the nearest-rank p95 of the monitor's probe durations and the largest signed
   * {@code slo.p95LatencyMs}, in seconds.
   */
  private static OptionalDouble latencyP95Seconds(List<Observation> in) {
    if (in.isEmpty()) {
      return OptionalDouble.empty();
    }
    long[] nanos = in.stream().mapToLong(x -> x.probeDuration().toNanos()).toArray();
    Arrays.sort(nanos);
    int rank = (95 * nanos.length + 99) / 100; // ceil(0.95 n) in exact integer arithmetic
    double probe = nanos[rank - 1] / (double) Duration.ofSeconds(1).toNanos();
    double signed = in.stream()
        .map(Observation::slo)
        .filter(s -> s != null && s.p95LatencyMs() != null)
        .mapToDouble(s -> s.p95LatencyMs() / 1000.0)
        .max()
        .orElse(0);
    return OptionalDouble.of(Math.max(probe, signed));
  }

  private static OptionalDouble sloMean(List<Observation> in, Function<Statement.Slo, Double> field) {
    return in.stream()
        .map(Observation::slo)
        .filter(s -> s != null && field.apply(s) != null)
        .mapToDouble(s -> field.apply(s))
        .average();
  }

  /** At most 3 decimals, half up, no trailing zeros, locale-independent: 0.8333 → "0.833", 100.0 → "100". */
  static String format(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    return BigDecimal.valueOf(x).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  private static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }

  /** The window a breach of {@code rule} reports, in seconds. */
  static long windowSeconds(Rule rule, Duration scoringWindow) {
    return isVerdictKind(rule.kind()) ? scoringWindow.toSeconds() : rule.window().toSeconds();
  }

  static boolean isVerdictKind(RuleKind kind) {
    return kind == RuleKind.HASH_MISMATCH || kind == RuleKind.INTEGRITY;
  }

  /**
   * Kinds a partition suspends: they measure reachability, which a cut-off monitor cannot judge.
   * They are not evaluated while partitioned, and their windows skip the transport failures
   * attributed to a partition.
   */
  static boolean suspendedByPartition(RuleKind kind) {
    return kind == RuleKind.AVAILABILITY || kind == RuleKind.LATENCY_P95 || kind == RuleKind.COMPLIANCE_SCORE;
  }
}
