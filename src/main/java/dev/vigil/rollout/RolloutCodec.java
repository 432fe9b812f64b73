package dev.vigil.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.events.RolloutData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Rollout} as compact JSON: the record of the rollout store and the body of the operator
 * API. Stateless and thread-safe.
 */
public final class RolloutCodec {
  static final ObjectMapper JSON = new ObjectMapper();

  private RolloutCodec() {}

  public static byte[] encode(Rollout r) {
    return tree(r).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The rollout as a JSON object (also what {@code GET /api/v1/rollouts} lists). */
  public static ObjectNode tree(Rollout r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("rolloutId", r.id());
    o.put("service", r.service());
    o.put("from", r.from());
    o.put("to", r.to());
    ArrayNode steps = o.putArray("steps");
    r.steps().forEach(steps::add);
    o.put("state", r.state().label());
    o.put("pausedFrom", r.pausedFrom() == null ? null : r.pausedFrom().label());
    o.put("step", r.step());
    o.put("target", r.target());
    ObjectNode w = o.putObject("weights");
    w.put(r.from(), 100 - r.weight());
    w.put(r.to(), r.weight());
    o.put("dwellUntil", r.dwellUntil().toString());
    o.put("nextAnalysis", r.nextAnalysis().toString());
    o.put("ready", r.ready());
    o.put("failures", r.failures());
    o.put("inconclusive", r.inconclusive());
    o.set("analysis", checks(r.analysis()));
    o.put("detail", r.detail());
    o.put("startedAt", r.startedAt().toString());
    o.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
    o.put("events", r.events());
    ArrayNode then = o.putArray("then");
    r.then().forEach(then::add);
    return o;
  }

  /** The checks as events-v1 writes them: {@code check}, {@code value}, {@code threshold}, {@code passed}. */
  public static ArrayNode checks(List<Check> checks) {
    return RolloutData.write(analysis(checks), JSON.createArrayNode());
  }

  /** The checks as the event's analysis entries. */
  static List<RolloutData.Analysis> analysis(List<Check> checks) {
    return checks.stream().map(c -> new RolloutData.Analysis(c.check(), c.value(), c.threshold(), c.passed())).toList();
  }

  private static Number number(JsonNode v) {
    return v == null || v.isNull() ? null : v.isIntegralNumber() ? (Number) v.intValue() : (Number) v.doubleValue();
  }

  public static Rollout decode(byte[] json) throws IOException {
    JsonNode o = JSON.readTree(json);
    try {
      List<Integer> steps = new ArrayList<>();
      o.get("steps").forEach(n -> steps.add(n.intValue()));
      List<Check> checks = new ArrayList<>();
      for (JsonNode c : o.get("analysis")) {
        JsonNode v = c.get("value");
        boolean noData = v == null || v.isNull();
        checks.add(new Check(c.get("check").textValue(), number(v), number(c.get("threshold")),
            c.get("passed").booleanValue(), noData));
      }
      List<String> then = new ArrayList<>();
      o.get("then").forEach(n -> then.add(n.textValue()));
      return new Rollout(o.get("rolloutId").textValue(), o.get("service").textValue(), o.get("from").textValue(),
          o.get("to").textValue(), steps, RolloutState.fromLabel(o.get("state").textValue()),
          o.get("pausedFrom").isNull() ? null : RolloutState.fromLabel(o.get("pausedFrom").textValue()),
          o.get("step").intValue(), o.get("target").isNull() ? null : o.get("target").intValue(),
          Instant.parse(o.get("dwellUntil").textValue()), Instant.parse(o.get("nextAnalysis").textValue()),
          o.get("ready").booleanValue(), o.get("failures").intValue(), o.get("inconclusive").intValue(), checks,
          o.get("detail").textValue(), Instant.parse(o.get("startedAt").textValue()),
          o.get("finishedAt").isNull() ? null : Instant.parse(o.get("finishedAt").textValue()),
          o.get("events").intValue(), then);
    } catch (RuntimeException e) {
      throw new IOException("not a rollout record: " + e, e);
    }
  }
}
