package dev.vigil.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A CloudEvents 1.0 event of events-v1 ({@code specversion} "1.0", {@code datacontenttype}
 * "application/json"), with its typed {@code data}. {@code time} has millisecond precision;
 * {@code id}, {@code source} and {@code subject} are bounded like the data ({@link Bounds}).
 * Immutable.
 */
public record CloudEvent(String id, String source, String type, String subject, Instant time, EventData data) {
  public static final String SPEC_VERSION = "1.0";
  public static final String DATA_CONTENT_TYPE = "application/json";
  public static final String BREACH_OPENED = "dev.vigil.breach.opened";
  public static final String BREACH_RESOLVED = "dev.vigil.breach.resolved";
  public static final String ROLLBACK_FINISHED = "dev.vigil.rollback.finished";
  public static final String ROLLOUT_STEP = "dev.vigil.rollout.step";
  public static final String ROLLOUT_FINISHED = "dev.vigil.rollout.finished";
  /** The DSSE payloadType of a signed CloudEvent. */
  public static final String PAYLOAD_TYPE = "application/cloudevents+json";

  public CloudEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
    id = Bounds.text(id, Bounds.ID_CHARS);
    source = Bounds.text(source, Bounds.ID_CHARS);
    subject = Bounds.text(subject, Bounds.ID_CHARS);
    time = millis(time);
    boolean breach = type.equals(BREACH_OPENED) || type.equals(BREACH_RESOLVED);
    boolean rollout = data instanceof RolloutData r && r.type().equals(type);
    if (breach != data instanceof BreachData || type.equals(ROLLBACK_FINISHED) != data instanceof RollbackFinished
        || !breach && !type.equals(ROLLBACK_FINISHED) && !rollout) {
      throw new IllegalArgumentException("type " + type + " does not carry " + data.getClass().getSimpleName());
    }
  }

  /** {@code vigil://monitor/<monitorId>}. */
  public static String monitorSource(String monitorId) {
    return "vigil://monitor/" + monitorId;
  }

  /** A new {@code breach.opened}/{@code breach.resolved} event with a fresh UUIDv7 id. */
  public static CloudEvent breach(String type, BreachData data) {
    Instant time = type.equals(BREACH_RESOLVED) && data.resolvedAt() != null ? data.resolvedAt() : data.openedAt();
    return new CloudEvent(UuidV7.next().toString(), monitorSource(data.monitor()), type, data.service(), time, data);
  }

  /** The service the event is about: the Kafka key. */
  public String service() {
    if (data instanceof RolloutData r) {
      return r.service();
    }
    return data instanceof BreachData b ? b.service() : ((RollbackFinished) data).service();
  }

  static Instant millis(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS);
  }
}
