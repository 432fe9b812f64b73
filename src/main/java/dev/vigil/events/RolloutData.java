package dev.vigil.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code data} of {@code dev.vigil.rollout.step} and {@code dev.vigil.rollout.finished}
 * (events-v1), field for field in the spec's order. A step carries {@code step}, {@code state},
 * {@code analysis} and {@code at}; a finished rollout {@code status}, {@code startedAt}, {@code
 * finishedAt} and {@code durationMs}. Text fields are bounded ({@link Bounds}). Immutable.
 *
 * @param fromWeight percent of traffic on {@code from}; {@code weights} lists {@code from} first
 * @param stateOrStatus a step's {@code state}, or a finished rollout's {@code status}
 */
public record RolloutData(boolean finished, String rolloutId, String service, String from, String to, int step,
    List<Integer> steps, int fromWeight, String stateOrStatus, List<Analysis> analysis, String detail,
    Instant startedAt, Instant at) implements EventData {

  /** One analysis check: a count is an Integer, a measure a Double, a missing value null. */
  public record Analysis(String check, Number value, Number threshold, boolean passed) {}

  public RolloutData {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(stateOrStatus, "stateOrStatus");
    Objects.requireNonNull(at, "at");
    rolloutId = Bounds.text(rolloutId, Bounds.ID_CHARS);
    service = Bounds.text(service, Bounds.ID_CHARS);
    from = Bounds.text(from, Bounds.ID_CHARS);
    to = Bounds.text(to, Bounds.ID_CHARS);
    detail = Bounds.text(detail, Bounds.DETAIL_CHARS);
    steps = List.copyOf(steps);
    analysis = List.copyOf(analysis);
    at = CloudEvent.millis(at);
    startedAt = startedAt == null ? null : CloudEvent.millis(startedAt);
  }

  /** The CloudEvent type of this data. */
  public String type() {
    return finished ? CloudEvent.ROLLOUT_FINISHED : CloudEvent.ROLLOUT_STEP;
  }

  void write(ObjectNode d, DateTimeFormatter time) {
    d.put("rolloutId", rolloutId);
    d.put("service", service);
    d.put("from", from);
    d.put("to", to);
    if (!finished) {
      d.put("step", step);
    }
    ArrayNode s = d.putArray("steps");
    steps.forEach(s::add);
    ObjectNode w = d.putObject("weights");
    w.put(from, fromWeight);
    w.put(to, 100 - fromWeight);
    if (!finished) {
      d.put("state", stateOrStatus);
      write(analysis, d.putArray("analysis"));
      d.put("detail", detail);
      d.put("at", time.format(at));
    } else {
      d.put("status", stateOrStatus);
      d.put("detail", detail);
      d.put("startedAt", time.format(startedAt));
      d.put("finishedAt", time.format(at));
      d.put("durationMs", Math.max(0, at.toEpochMilli() - startedAt.toEpochMilli()));
    }
  }

  /** Writes {@code analysis} into {@code a} as events-v1 does: check, value, threshold, passed. */
  public static ArrayNode write(List<Analysis> analysis, ArrayNode a) {
    for (Analysis c : analysis) {
      ObjectNode n = a.addObject();
      n.put("check", c.check());
      number(n, "value", c.value());
      number(n, "threshold", c.threshold());
      n.put("passed", c.passed());
    }
    return a;
  }

  private static void number(ObjectNode n, String field, Number v) {
    if (v == null) {
      n.putNull(field);
    } else if (v instanceof Integer || v instanceof Long) {
      n.put(field, v.longValue());
    } else {
      n.put(field, v.doubleValue());
    }
  }

  /** Reads the data of a rollout event of type {@code type}. */
  static RolloutData read(String type, JsonNode d, Reader r) throws EventCodec.EventFormatException {
    boolean finished = type.equals(CloudEvent.ROLLOUT_FINISHED);
    String from = r.text(d, "from", true);
    String to = r.text(d, "to", true);
    List<Integer> steps = new ArrayList<>();
    JsonNode s = d.get("steps");
    if (s == null || !s.isArray()) {
      throw new EventCodec.EventFormatException("steps must be a list");
    }
    s.forEach(n -> steps.add(n.asInt()));
    JsonNode w = d.get("weights");
    if (w == null || !w.isObject() || !w.path(from).isInt()) {
      throw new EventCodec.EventFormatException("weights must name " + from);
    }
    List<Analysis> analysis = new ArrayList<>();
    for (JsonNode c : d.path("analysis")) {
      JsonNode v = c.get("value");
      JsonNode t = c.get("threshold");
      analysis.add(new Analysis(c.path("check").asText(), v == null || v.isNull() ? null : v.numberValue(),
          t == null || t.isNull() ? null : t.numberValue(), c.path("passed").asBoolean()));
    }
    return new RolloutData(finished, r.text(d, "rolloutId", true), r.text(d, "service", true), from, to,
        finished ? 0 : (int) r.integer(d, "step"), steps, w.get(from).intValue(),
        r.text(d, finished ? "status" : "state", true), analysis, r.text(d, "detail", false),
        finished ? r.time(d, "startedAt", true) : null, r.time(d, finished ? "finishedAt" : "at", true));
  }

  /** The field readers of {@link EventCodec}. */
  interface Reader {
    String text(JsonNode n, String field, boolean required) throws EventCodec.EventFormatException;

    long integer(JsonNode n, String field) throws EventCodec.EventFormatException;

    Instant time(JsonNode n, String field, boolean required) throws EventCodec.EventFormatException;
  }
}
