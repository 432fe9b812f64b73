package dev.vigil.report;

import dev.vigil.evidence.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The pure core of {@code vigil report}: from the entries a checkpoint covers, the period and the
 * report's time, the {@link Report}. No I/O, no clock. The definitions (verdict in force, coverage,
 * the objectives' rules) are those of {@code docs/report.md}. Stateless; thread-safe.
 */
public final class ReportBuilder {
  /** Default of {@code --stale-after}: twice evidence.sampleInterval's default of 1 h. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(2);
  static final double COMPLIANCE_OBJECTIVE = 95.0;
  static final double AVAILABILITY_OBJECTIVE = 99.9;
  static final double P95_OBJECTIVE_MS = 2000.0;
  static final double RPS_OBJECTIVE = 1000.0;

  private ReportBuilder() {}

  /**
   * The report over {@code [from, to)}.
   *
   * @param entries the entries the checkpoint covers, in index order
   * @param service only this service, or null for all
   * @param asOf the report's time: what lies after it is not covered
   * @throws IllegalArgumentException when {@code from} is not before {@code to} or staleAfter is not positive
   */
  public static Report build(List<Entry> entries, Report.CheckpointInfo checkpoint, Instant from, Instant to,
      String service, Duration staleAfter, Instant asOf) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from " + from + " is not before to " + to);
    }
    if (staleAfter.isZero() || staleAfter.isNegative()) {
      throw new IllegalArgumentException("staleAfter must be positive");
    }
    Instant end = asOf.isBefore(to) ? (asOf.isBefore(from) ? from : asOf) : to;
    Map<String, List<Entry>> byTarget = new TreeMap<>();
    long inPeriod = 0;
    for (Entry e : entries) {
      if (service != null && !service.equals(e.service())) {
        continue;
      }
      byTarget.computeIfAbsent(e.service() + "\u0000" + e.environment(), k -> new ArrayList<>()).add(e);
      inPeriod += !e.time().isBefore(from) && e.time().isBefore(to) ? 1 : 0;
    }
    List<Report.ServiceReport> services = new ArrayList<>();
    for (List<Entry> list : byTarget.values()) {
      Entry first = list.get(0);
      Report.ServiceReport r = new TargetFigures(first.service(), first.environment(), from, to, end, staleAfter)
          .compute(list);
      boolean touches = r.coveredMillis() > 0 || !r.breaches().isEmpty()
          || r.counts().byKind().values().stream().mapToLong(Long::longValue).sum() > 0;
      if (touches) {
        services.add(r);
      }
    }
    Report.LogSpan span = new Report.LogSpan(entries.isEmpty() ? null : entries.get(0).time(),
        entries.isEmpty() ? null : entries.get(entries.size() - 1).time(), entries.size(), inPeriod);
    Report.Fleet fleet = fleet(services, Duration.between(from, to).toMillis());
    return new Report(from, to, asOf, staleAfter, service, checkpoint, span, fleet, Objectives.of(fleet),
        services, notes(entries, checkpoint, from, to, asOf, service, services, fleet));
  }

  private static Report.Fleet fleet(List<Report.ServiceReport> services, long period) {
    long covered = 0;
    long compliant = 0;
    long available = 0;
    long breach = 0;
    Double worstP95 = null;
    Double rps = null;
    for (Report.ServiceReport s : services) {
      covered += s.coveredMillis();
      compliant += s.compliantMillis();
      available += s.availableMillis();
      breach += s.breachMillis();
      Double max = s.slo().p95LatencyMs().max();
      if (max != null) {
        worstP95 = worstP95 == null ? max : Double.valueOf(Math.max(worstP95, max));
      }
      Double med = s.slo().requestsPerSecond().median();
      if (med != null) {
        rps = rps == null ? med : Double.valueOf(rps + med);
      }
    }
    return new Report.Fleet(services.size(), period * services.size(), covered, compliant, available, breach,
        worstP95, rps);
  }

  private static List<String> notes(List<Entry> entries, Report.CheckpointInfo cp, Instant from, Instant to,
      Instant asOf, String service, List<Report.ServiceReport> services, Report.Fleet fleet) {
    List<String> notes = new ArrayList<>();
    if (entries.isEmpty()) {
      notes.add("the checkpoint covers no entries: there is no evidence at all, nothing below is a measurement");
    } else if (entries.get(0).time().isAfter(from)) {
      notes.add("the log starts at " + entries.get(0).time() + ", after the period's start " + from
          + ": the time before it is not covered");
    }
    if (asOf.isBefore(to)) {
      notes.add("the period ends after the report's time " + asOf + ": the rest of it is not covered");
    }
    if (!entries.isEmpty() && services.isEmpty()) {
      notes.add(service != null ? "no evidence for service " + service + " in the period"
          : "no target has evidence in the period");
    }
    if (fleet.coveredMillis() > 0 && fleet.coveredMillis() < fleet.targetMillis()) {
      notes.add(String.format(Locale.ROOT, "%.3f %% of the period's target-time is covered (%s of %s):"
          + " percentages are over the covered time", fleet.coveragePct(), duration(fleet.coveredMillis()),
          duration(fleet.targetMillis())));
    }
    if (cp.entriesAfter() > 0) {
      notes.add(cp.entriesAfter() + " entries after the checkpoint's " + cp.size() + " are not used");
    }
    return notes;
  }

  /** {@code 1 d 2 h 3 min 4.5 s}, the largest units first, zero units left out. */
  static String duration(long millis) {
    if (millis == 0) {
      return "0 s";
    }
    StringBuilder b = new StringBuilder();
    long d = millis / 86_400_000;
    long h = millis / 3_600_000 % 24;
    long m = millis / 60_000 % 60;
    long ms = millis % 60_000;
    if (d > 0) {
      b.append(d).append(" d ");
    }
    if (h > 0) {
      b.append(h).append(" h ");
    }
    if (m > 0) {
      b.append(m).append(" min ");
    }
    if (ms > 0) {
      b.append(ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(Locale.ROOT, "%.3f", ms / 1000.0))
          .append(" s ");
    }
    return b.toString().trim();
  }
}
