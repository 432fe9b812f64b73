package dev.vigil.report;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.evidence.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one target (service and environment) from its entries, for {@link ReportBuilder}.
 * Pure: no I/O, the period and {@code end} (the period's end or the report's time, whichever is
 * earlier) passed in. Not thread-safe; one instance per target and report.
 */
final class TargetFigures {
  private static final Pattern BREACH_ID_TIME = Pattern.compile("-([0-9]{8}T[0-9]{6}Z)$");

  private final String service;
  private final String environment;
  private final Instant from;
  private final Instant to;
  private final Instant end;
  private final Duration staleAfter;
  private final Map<Long, Optional<Statement>> statements = new HashMap<>();

  TargetFigures(String service, String environment, Instant from, Instant to, Instant end, Duration staleAfter) {
    this.service = service;
    this.environment = environment;
    this.from = from;
    this.to = to;
    this.end = end;
    this.staleAfter = staleAfter;
  }

  /** The target's report from its entries in index order (any time; those outside the period set the context). */
  Report.ServiceReport compute(List<Entry> entries) {
    List<Entry> verdicts = entries.stream().filter(e -> e.kind() == Entry.Kind.VERDICT && e.verdict() != null).toList();
    Map<String, Long> byVerdict = new TreeMap<>();
    List<Report.Run> runs = new ArrayList<>();
    long covered = 0;
    long compliant = 0;
    long available = 0;
    for (int i = 0; i < verdicts.size(); i++) {
      Entry e = verdicts.get(i);
      Instant until = e.time().plus(staleAfter);
      if (i + 1 < verdicts.size() && verdicts.get(i + 1).time().isBefore(until)) {
        until = verdicts.get(i + 1).time();
      }
      Instant s = later(e.time(), from);
      Instant u = earlier(until, end);
      if (!u.isAfter(s)) {
        continue;
      }
      long ms = Duration.between(s, u).toMillis();
      covered += ms;
      byVerdict.merge(e.verdict(), ms, Long::sum);
      compliant += Verdict.COMPLIANT.label().equals(e.verdict()) ? ms : 0;
      available += isAvailabilityVerdict(e.verdict()) ? 0 : ms;
      Report.Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last.verdict().equals(e.verdict()) && last.to().equals(s)) {
        runs.set(runs.size() - 1, new Report.Run(last.from(), u, last.verdict()));
      } else {
        runs.add(new Report.Run(s, u, e.verdict()));
      }
    }
    List<Report.BreachRecord> breaches = breaches(entries);
    long period = Duration.between(from, to).toMillis();
    return new Report.ServiceReport(service, environment, period, covered, compliant, available, byVerdict, runs,
        breachMillis(breaches, entries.isEmpty() ? from : entries.get(0).time()), breaches, rollbacks(entries),
        hashes(entries), slo(entries), counts(entries), notes(verdicts, covered, period));
  }

  /** True for the transport verdicts of attestation-v1 section 5: the target did not answer. */
  static boolean isAvailabilityVerdict(String label) {
    try {
      return Verdict.fromLabel(label).isAvailability();
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  private List<String> notes(List<Entry> verdicts, long covered, long period) {
    List<String> notes = new ArrayList<>();
    if (covered == 0) {
      notes.add("no verdict in force at any time of the period: nothing is known of this target's compliance");
      return notes;
    }
    Instant firstInForce = verdicts.stream().map(Entry::time).filter(t -> t.plus(staleAfter).isAfter(from))
        .findFirst().orElse(null);
    if (firstInForce != null && firstInForce.isAfter(from)) {
      notes.add("no verdict in force before " + firstInForce + ": the start of the period is not covered");
    }
    if (covered < period) {
      notes.add(ReportBuilder.duration(period - covered) + " of the period not covered (before the first verdict,"
          + " gaps longer than staleAfter between verdicts, or after the report's time); figures are over the "
          + ReportBuilder.duration(covered) + " covered");
    }
    return notes;
  }

  private List<Report.BreachRecord> breaches(List<Entry> entries) {
    Map<String, Entry> opened = new LinkedHashMap<>();
    Map<String, Entry> resolved = new HashMap<>();
    for (Entry e : entries) {
      String id = e.breachId() == null ? "entry-" + e.index() : e.breachId();
      if (e.kind() == Entry.Kind.BREACH_OPENED) {
        opened.putIfAbsent(id, e);
      } else if (e.kind() == Entry.Kind.BREACH_RESOLVED) {
        resolved.putIfAbsent(id, e);
        opened.putIfAbsent(id, null);
      }
    }
    List<Report.BreachRecord> out = new ArrayList<>();
    for (Map.Entry<String, Entry> b : opened.entrySet()) {
      Entry o = b.getValue();
      Entry r = resolved.get(b.getKey());
      Instant openedAt = o == null ? null : o.time();
      Instant resolvedAt = r == null ? null : r.time();
      if ((openedAt != null && !openedAt.isBefore(to)) || (resolvedAt != null && !resolvedAt.isAfter(from))) {
        continue;
      }
      Entry any = o != null ? o : r;
      Long duration = openedAt != null && resolvedAt != null ? Duration.between(openedAt, resolvedAt).toMillis() : null;
      out.add(new Report.BreachRecord(b.getKey(), rule(b.getKey(), any), any.verdict(), openedAt, resolvedAt, duration,
          resolvedAt == null || !resolvedAt.isBefore(to)));
    }
    out.sort(Comparator.comparing((Report.BreachRecord b) -> b.opened() == null ? Instant.MIN : b.opened())
        .thenComparing(Report.BreachRecord::breachId));
    return out;
  }

  /**
   * The rule: from a breach id of the form {@code b-<service>-<environment>-<rule>-<yyyyMMddTHHmmssZ>}
   * (score.Breach#idFor); otherwise the entry's detail, else its verdict.
   */
  private String rule(String breachId, Entry e) {
    String prefix = "b-" + service + "-" + environment + "-";
    Matcher m = BREACH_ID_TIME.matcher(breachId);
    if (breachId.startsWith(prefix) && m.find() && m.start() > prefix.length()) {
      return breachId.substring(prefix.length(), m.start());
    }
    return e.detail() != null ? e.detail() : e.verdict();
  }

  /** The union of the breaches' intervals within {@code [from, end)}. */
  private long breachMillis(List<Report.BreachRecord> breaches, Instant logStart) {
    List<Instant[]> spans = new ArrayList<>();
    for (Report.BreachRecord b : breaches) {
      Instant s = later(b.opened() == null ? logStart : b.opened(), from);
      Instant u = b.resolved() == null ? end : earlier(b.resolved(), end);
      if (u.isAfter(s)) {
        spans.add(new Instant[] {s, u});
      }
    }
    spans.sort(Comparator.comparing(a -> a[0]));
    long total = 0;
    Instant reach = null;
    for (Instant[] sp : spans) {
      Instant s = reach != null && reach.isAfter(sp[0]) ? reach : sp[0];
      if (sp[1].isAfter(s)) {
        total += Duration.between(s, sp[1]).toMillis();
        reach = sp[1];
      }
    }
    return total;
  }

  private List<Report.RollbackRecord> rollbacks(List<Entry> entries) {
    return entries.stream().filter(e -> e.kind() == Entry.Kind.ROLLBACK_FINISHED && inPeriod(e))
        .map(e -> new Report.RollbackRecord(e.time(), e.verdict(), e.breachId(), e.detail())).toList();
  }

  private List<Report.HashSeen> hashes(List<Entry> entries) {
    Map<String, Report.HashSeen> seen = new TreeMap<>();
    for (Entry e : entries) {
      if (e.kind() == Entry.Kind.VERDICT && inPeriod(e)) {
        statement(e).ifPresent(st -> seen.merge(st.constitutionalHash(),
            new Report.HashSeen(st.constitutionalHash(), 1, e.time(), e.time()),
            (a, b) -> new Report.HashSeen(a.hash(), a.count() + 1, a.first(), b.last())));
      }
    }
    return List.copyOf(seen.values());
  }

  private Report.Slo slo(List<Entry> entries) {
    List<Double> p95 = new ArrayList<>();
    List<Double> rps = new ArrayList<>();
    List<Double> err = new ArrayList<>();
    for (Entry e : entries) {
      if (e.kind() == Entry.Kind.VERDICT && inPeriod(e)) {
        statement(e).map(Statement::slo).ifPresent(s -> {
          add(p95, s.p95LatencyMs());
          add(rps, s.requestsPerSecond());
          add(err, s.errorRate());
        });
      }
    }
    return new Report.Slo(stats(p95), stats(rps), stats(err));
  }

  private Report.Counts counts(List<Entry> entries) {
    Map<String, Long> byKind = new TreeMap<>();
    long withEnvelope = 0;
    long unreadable = 0;
    for (Entry e : entries) {
      if (!inPeriod(e)) {
        continue;
      }
      byKind.merge(e.kind().wire(), 1L, Long::sum);
      if (e.envelope() != null) {
        withEnvelope++;
        unreadable += statement(e).isPresent() ? 0 : 1;
      }
    }
    return new Report.Counts(byKind, withEnvelope, unreadable);
  }

  /** The statement in the entry's envelope, read once per entry. */
  private Optional<Statement> statement(Entry e) {
    return statements.computeIfAbsent(e.index(), i -> {
      byte[] env = e.envelope();
      return env == null ? Optional.empty() : Statement.readUnverified(env);
    });
  }

  private static void add(List<Double> values, Double v) {
    if (v != null) {
      values.add(v);
    }
  }

  static Report.Stats stats(List<Double> values) {
    if (values.isEmpty()) {
      return new Report.Stats(0, null, null, null);
    }
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    return new Report.Stats(n, v.get(0), median, v.get(n - 1));
  }

  private boolean inPeriod(Entry e) {
    return !e.time().isBefore(from) && e.time().isBefore(to);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
