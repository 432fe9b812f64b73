package dev.vigil.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The report as JSON, in the shape {@code docs/report.md} documents ({@code "format":
 * "vigil-report/1"}): times RFC 3339 UTC, durations in seconds (millisecond precision),
 * percentages 0..100, unknown values {@code null}. Stateless; thread-safe.
 */
public final class JsonReport {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "vigil-report/1";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(Report r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format", FORMAT);
    ObjectNode period = o.putObject("period");
    period.put("from", r.from().toString());
    period.put("to", r.to().toString());
    period.put("seconds", seconds(r.periodMillis()));
    o.put("asOf", r.asOf().toString());
    o.put("service", r.service());
    o.put("staleAfterSeconds", seconds(r.staleAfter().toMillis()));
    Report.CheckpointInfo cp = r.checkpoint();
    ObjectNode c = o.putObject("checkpoint");
    c.put("origin", cp.origin());
    c.put("size", cp.size());
    c.put("root", cp.root());
    c.put("signature", cp.signature().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    c.put("keyId", cp.keyId());
    ArrayNode sigs = c.putArray("signatureLines");
    cp.signatureLines().forEach(sigs::add);
    c.put("entriesAfter", cp.entriesAfter());
    ObjectNode log = o.putObject("log");
    log.put("first", time(r.log().first()));
    log.put("last", time(r.log().last()));
    log.put("entries", r.log().entries());
    log.put("entriesInPeriod", r.log().entriesInPeriod());
    Report.Fleet f = r.fleet();
    ObjectNode fleet = o.putObject("fleet");
    fleet.put("targets", f.targets());
    fleet.put("targetSeconds", seconds(f.targetMillis()));
    fleet.put("coveredSeconds", seconds(f.coveredMillis()));
    fleet.put("coveragePct", f.coveragePct());
    fleet.put("compliancePct", f.compliancePct());
    fleet.put("availabilityPct", f.availabilityPct());
    fleet.put("breachSeconds", seconds(f.breachMillis()));
    fleet.put("worstP95LatencyMs", f.worstP95Ms());
    fleet.put("requestsPerSecondSum", f.rpsSum());
    ArrayNode objectives = o.putArray("objectives");
    for (Report.Objective ob : r.objectives()) {
      objectives.addObject().put("id", ob.id()).put("rule", ob.rule()).put("figure", ob.figure()).put("unit", ob.unit())
          .put("status", ob.status().label()).put("basis", ob.basis());
    }
    ArrayNode services = o.putArray("services");
    r.services().forEach(s -> service(services.addObject(), s));
    ArrayNode notes = o.putArray("notes");
    r.notes().forEach(notes::add);
    try {
      return MAPPER.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void service(ObjectNode o, Report.ServiceReport s) {
    o.put("service", s.service());
    o.put("environment", s.environment());
    o.put("coveredSeconds", seconds(s.coveredMillis()));
    o.put("coveragePct", s.coveragePct());
    o.put("compliancePct", s.compliancePct());
    o.put("availabilityPct", s.availabilityPct());
    o.put("breachSeconds", seconds(s.breachMillis()));
    ObjectNode vs = o.putObject("verdictSeconds");
    new java.util.TreeMap<>(s.verdictMillis()).forEach((k, v) -> vs.put(k, seconds(v)));
    ArrayNode tl = o.putArray("timeline");
    for (Report.Run run : s.timeline()) {
      tl.addObject().put("from", run.from().toString()).put("to", run.to().toString()).put("verdict", run.verdict());
    }
    ArrayNode br = o.putArray("breaches");
    for (Report.BreachRecord b : s.breaches()) {
      br.addObject().put("breachId", b.breachId()).put("rule", b.rule()).put("verdict", b.verdict())
          .put("opened", time(b.opened())).put("resolved", time(b.resolved()))
          .put("durationSeconds", b.durationMillis() == null ? null : seconds(b.durationMillis()))
          .put("openAtEnd", b.openAtEnd());
    }
    ArrayNode rb = o.putArray("rollbacks");
    for (Report.RollbackRecord x : s.rollbacks()) {
      rb.addObject().put("time", x.time().toString()).put("outcome", x.outcome()).put("breachId", x.breachId())
          .put("detail", x.detail());
    }
    ArrayNode hs = o.putArray("hashes");
    for (Report.HashSeen h : s.hashes()) {
      hs.addObject().put("hash", h.hash()).put("count", h.count()).put("first", time(h.first()))
          .put("last", time(h.last()));
    }
    ObjectNode slo = o.putObject("slo");
    stats(slo.putObject("p95LatencyMs"), s.slo().p95LatencyMs());
    stats(slo.putObject("requestsPerSecond"), s.slo().requestsPerSecond());
    stats(slo.putObject("errorRate"), s.slo().errorRate());
    ObjectNode counts = o.putObject("evidence");
    ObjectNode kinds = counts.putObject("byKind");
    for (String k : new String[] {"verdict", "breach.opened", "breach.resolved", "rollback.finished"}) {
      kinds.put(k, s.counts().byKind().getOrDefault(k, 0L));
    }
    counts.put("withEnvelope", s.counts().withEnvelope());
    counts.put("unreadableEnvelopes", s.counts().unreadableEnvelopes());
    ArrayNode notes = o.putArray("notes");
    s.notes().forEach(notes::add);
  }

  private static void stats(ObjectNode o, Report.Stats s) {
    o.put("n", s.n()).put("min", s.min()).put("median", s.median()).put("max", s.max());
  }

  static double seconds(long millis) {
    return millis / 1000.0;
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
