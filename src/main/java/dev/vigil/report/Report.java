package dev.vigil.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A compliance report over the period {@code [from, to)}: per service and environment the
 * time-weighted figures, breaches, rollbacks, hashes, SLO figures and evidence counts, the seed's
 * objectives each met or not, and the checkpoint every figure was computed from. The definitions are
 * in {@code docs/report.md}. Immutable; thread-safe.
 *
 * @param asOf the time the report was computed; the part of the period after it is not covered
 * @param staleAfter how long one verdict entry vouches for its target when no later one follows
 * @param service the {@code --service} filter, or null for every service
 * @param notes what makes the period partial or empty, in words; empty when fully covered
 */
public record Report(Instant from, Instant to, Instant asOf, Duration staleAfter, String service,
    CheckpointInfo checkpoint, LogSpan log, Fleet fleet, List<Objective> objectives, List<ServiceReport> services,
    List<String> notes) {

  public Report {
    objectives = List.copyOf(objectives);
    services = List.copyOf(services);
    notes = List.copyOf(notes);
  }

  /** The period's length in milliseconds. */
  public long periodMillis() {
    return Duration.between(from, to).toMillis();
  }

  /** How the checkpoint's signature was established. */
  public enum Signature {
    /** Verified with the monitor's public key ({@code --key}). */
    VERIFIED,
    /** A signed checkpoint was read but no key was given: the signature was not checked. */
    NOT_CHECKED,
    /** No checkpoint was given: the root was computed from the log by this report, nothing signs it. */
    UNSIGNED
  }

  /**
   * The checkpoint the figures were computed from; only its first {@code size} entries are used
   * and they hash to {@code root}.
   *
   * @param signatureLines the note's signature lines verbatim (empty when {@link Signature#UNSIGNED})
   * @param entriesAfter entries the log held beyond the checkpoint, not used
   */
  public record CheckpointInfo(String origin, long size, String root, List<String> signatureLines,
      Signature signature, String keyId, long entriesAfter) {
    public CheckpointInfo {
      signatureLines = List.copyOf(signatureLines);
    }
  }

  /** The times of the first and last entries used (null for an empty log), and how many were used. */
  public record LogSpan(Instant first, Instant last, long entries, long entriesInPeriod) {}

  /**
   * Fleet-wide figures: sums of the per-target times (target-time), so each target weighs by how
   * long it was covered. Percentages are null when nothing was covered.
   */
  public record Fleet(int targets, long targetMillis, long coveredMillis, long compliantMillis, long availableMillis,
      long breachMillis, Double worstP95Ms, Double rpsSum) {
    public Double compliancePct() {
      return pct(compliantMillis, coveredMillis);
    }

    public Double availabilityPct() {
      return pct(availableMillis, coveredMillis);
    }

    public Double coveragePct() {
      return pct(coveredMillis, targetMillis);
    }
  }

  /** An objective's outcome. */
  public enum Status {
    MET, NOT_MET,
    /** The covered time meets it but the uncovered time could still break it (or the reverse). */
    UNDETERMINED,
    /** No evidence for the figure in the period. */
    NO_EVIDENCE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One of the seed's readiness objectives.
   *
   * @param figure the observed value (null without evidence)
   * @param rule the objective in words, e.g. {@code compliance > 95 %}
   * @param basis how the figure was computed
   */
  public record Objective(String id, String rule, Double figure, String unit, Status status, String basis) {}

  /**
   * One target (service and environment) over the period.
   *
   * @param verdictMillis time spent under each verdict (covered time only), by verdict label
   * @param timeline the verdict in force, merged into runs, within the period; gaps are not covered
   */
  public record ServiceReport(String service, String environment, long periodMillis, long coveredMillis,
      long compliantMillis, long availableMillis, Map<String, Long> verdictMillis, List<Run> timeline,
      long breachMillis, List<BreachRecord> breaches, List<RollbackRecord> rollbacks, List<HashSeen> hashes,
      Slo slo, Counts counts, List<String> notes) {
    public ServiceReport {
      verdictMillis = Map.copyOf(verdictMillis);
      timeline = List.copyOf(timeline);
      breaches = List.copyOf(breaches);
      rollbacks = List.copyOf(rollbacks);
      hashes = List.copyOf(hashes);
      notes = List.copyOf(notes);
    }

    public Double compliancePct() {
      return pct(compliantMillis, coveredMillis);
    }

    public Double availabilityPct() {
      return pct(availableMillis, coveredMillis);
    }

    public Double coveragePct() {
      return pct(coveredMillis, periodMillis);
    }
  }

  /** The verdict {@code verdict} in force over {@code [from, to)}. */
  public record Run(Instant from, Instant to, String verdict) {}

  /**
   * A breach overlapping the period. {@code opened} is null when its opening precedes the log;
   * {@code resolved} is null while open.
   *
   * @param openAtEnd still open at the end of the period
   */
  public record BreachRecord(String breachId, String rule, String verdict, Instant opened, Instant resolved,
      Long durationMillis, boolean openAtEnd) {}

  /** A {@code rollback.finished} entry: its outcome ({@code succeeded}, {@code failed}, …) and detail. */
  public record RollbackRecord(Instant time, String outcome, String breachId, String detail) {}

  /** A constitutional hash the service's signed statements reported, how often and when. */
  public record HashSeen(String hash, long count, Instant first, Instant last) {}

  /** Min, median and max of {@code n} values; all null when {@code n} is 0. */
  public record Stats(int n, Double min, Double median, Double max) {}

  /** The SLO figures of the service's signed reports in the period. */
  public record Slo(Stats p95LatencyMs, Stats requestsPerSecond, Stats errorRate) {}

  /**
   * Entries in the period: by kind (wire name), those holding an envelope, and those whose envelope
   * could not be read as an in-toto statement.
   */
  public record Counts(Map<String, Long> byKind, long withEnvelope, long unreadableEnvelopes) {
    public Counts {
      byKind = Map.copyOf(byKind);
    }
  }

  static Double pct(long part, long whole) {
    return whole <= 0 ? null : 100.0 * part / whole;
  }
}
