package dev.vigil.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.score.Breach;
import java.time.Instant;
import java.util.TreeMap;

/** JSON shapes of the monitor's API. Breaches use the field names of events-v1. Thread-safe. */
final class ApiJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiJson() {}

  static ObjectNode breach(Breach b, String monitorId) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("breachId", b.breachId());
    o.put("service", b.target().service());
    o.put("environment", b.target().environment());
    o.put("rule", b.rule());
    o.put("severity", b.severity().label());
    o.put("verdict", b.verdict().label());
    o.put("observed", b.observed());
    o.put("expected", b.expected());
    if (Double.isFinite(b.complianceScore())) {
      o.put("complianceScore", Math.round(b.complianceScore() * 1000) / 1000.0);
    } else {
      o.putNull("complianceScore");
    }
    o.put("windowSeconds", b.windowSeconds());
    o.put("consecutiveFailures", b.consecutiveFailures());
    o.put("openedAt", time(b.openedAt()));
    o.put("resolvedAt", time(b.resolvedAt()));
    o.put("monitor", monitorId);
    return o;
  }

  static ObjectNode target(TargetStatus t, String monitorId) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("service", t.id().service());
    o.put("environment", t.id().environment());
    o.put("url", t.url());
    o.put("mode", t.mode());
    o.put("verdict", t.verdict() == null ? null : t.verdict().label());
    o.put("detail", t.detail());
    o.put("signed", t.signed());
    o.put("up", t.responded());
    o.put("checkedAt", time(t.checkedAt()));
    o.put("changedAt", time(t.changedAt()));
    if (t.score() == null) {
      o.putNull("complianceScore");
    } else {
      o.put("complianceScore", t.score());
    }
    o.put("polls", t.polls());
    ArrayNode open = o.putArray("openBreaches");
    t.openBreaches().forEach(b -> open.add(breach(b, monitorId)));
    return o;
  }

  static ObjectNode targets(MonitorSnapshot s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("monitor", s.monitorId());
    root.put("partitioned", s.partitioned());
    root.put("overloaded", s.overloaded());
    root.put("overloadedSince", time(s.overloadedSince()));
    root.put("eventLoopDelaySeconds", s.eventLoopDelay().toNanos() / 1e9);
    root.put("workerQueueWaitSeconds", s.workerQueueWait().toNanos() / 1e9);
    ObjectNode f = root.putObject("fleetComplianceScore");
    new TreeMap<>(s.fleetScores()).forEach(f::put);
    ArrayNode arr = root.putArray("targets");
    s.targets().forEach(t -> arr.add(target(t, s.monitorId())));
    return root;
  }

  static ObjectNode breaches(MonitorSnapshot s) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode open = root.putArray("open");
    s.openBreaches().forEach(b -> open.add(breach(b, s.monitorId())));
    ArrayNode resolved = root.putArray("recentlyResolved");
    s.recentlyResolved().forEach(b -> resolved.add(breach(b, s.monitorId())));
    return root;
  }

  static ObjectNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
