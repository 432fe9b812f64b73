package dev.vigil.rollback;

import dev.vigil.attest.TrustStore;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What the controller does with one record of the breaches topic (events-v1): verify the DSSE
 * envelope against the trusted monitor keys, then hand a verified {@code breach.opened} to the
 * engine; a {@code breach.resolved} is ignored. A record that does not verify (unsigned, untrusted
 * key, tampered, malformed, or anything a parser throws for it) is never acted on and never
 * answered: it is counted, logged once with its Kafka coordinates, and may be committed.
 *
 * <p>A verified {@code breach.opened} whose breach a verified {@code breach.resolved} later in the
 * same fetched batch closes is passed on as resolved ({@code stale_event}). The future succeeds
 * when the record may be committed. Call on the engine's context.
 *
 * <p>{@link #handleAll} does the same for a batch of records ({@link BatchHandler}): every record
 * is verified on a worker (Ed25519, off the event loop), then the engine decides them in order and
 * batches what it can ({@link EngineBatch}).
 */
public final class BreachRecords {
  private static final String CE_TYPE = "ce_type";

  private final RollbackEngine engine;
  private final TrustStore trusted;
  private final Clock clock;

  public BreachRecords(RollbackEngine engine, TrustStore trusted, Clock clock) {
    this.engine = engine;
    this.trusted = trusted;
    this.clock = clock;
  }

  /** Handles {@code record}; {@code later} are the records fetched after it on its partition, in order. */
  public Future<Void> handle(ConsumerRecord<byte[], byte[]> record, List<ConsumerRecord<byte[], byte[]>> later) {
    Instant now = clock.instant();
    EventCodec.Decoded d = decode(record.value(), now);
    if (d instanceof EventCodec.Rejected r) {
      engine.rejected(r.reason().label());
      RollbackLog.rejected(coordinates(record), r.reason().label(), printable(r.detail(), 200));
      return Future.succeededFuture();
    }
    CloudEvent e = ((EventCodec.Accepted) d).event();
    if (!CloudEvent.BREACH_OPENED.equals(e.type())) {
      if (!CloudEvent.BREACH_RESOLVED.equals(e.type())) {
        engine.rejected(EventCodec.Reason.MALFORMED.label()); // a rollback.finished has no business here
        RollbackLog.rejected(coordinates(record), EventCodec.Reason.MALFORMED.label(),
            "a " + printable(e.type(), 100) + " event on the breaches topic");
      }
      return Future.succeededFuture();
    }
    BreachEvent opened = BreachEvent.of(e);
    return engine.handle(opened, resolvedBy(opened.breachId(), later, now)).mapEmpty();
  }

  /** Handles {@code batch} in order ({@link BatchHandler}); {@code later} are the records fetched after it. */
  public Future<BatchHandler.Handled> handleAll(List<ConsumerRecord<byte[], byte[]>> batch,
      List<ConsumerRecord<byte[], byte[]>> later) {
    Instant now = clock.instant();
    Context context = Vertx.currentContext();
    Future<List<Read>> read = context == null ? Future.succeededFuture(readAll(batch, later, now))
        : context.executeBlocking(() -> readAll(batch, later, now), false);
    return read.compose(reads -> {
      List<EngineBatch.Item> items = new ArrayList<>(reads.size());
      for (int i = 0; i < reads.size(); i++) {
        items.add(item(batch.get(i), reads.get(i)));
      }
      return engine.handleAll(items);
    });
  }

  /** A record verified: what it decoded to, and for a {@code breach.opened} where a later record resolves it. */
  private record Read(EventCodec.Decoded decoded, String resolvedBy) {}

  /**
   * Verifies every record of {@code batch}; for each {@code breach.opened}, finds the first
   * verified {@code breach.resolved} of its breach after it (in the batch, then {@code later}), as
   * {@link #resolvedBy} does for one record, verifying each candidate once. Records with the very
   * same bytes (a redelivered event) are verified once per batch: at one {@code now}, the same
   * bytes verify the same way.
   */
  private List<Read> readAll(List<ConsumerRecord<byte[], byte[]>> batch, List<ConsumerRecord<byte[], byte[]>> later,
      Instant now) {
    Map<ByteBuffer, EventCodec.Decoded> seen = new HashMap<>();
    Map<String, String> resolved = new HashMap<>();
    for (int j = later.size() - 1; j >= 0; j--) {
      ConsumerRecord<byte[], byte[]> r = later.get(j);
      if (saysResolved(r)) {
        resolves(r, decodeOnce(r.value(), now, seen), resolved);
      }
    }
    Read[] reads = new Read[batch.size()];
    for (int i = batch.size() - 1; i >= 0; i--) {
      ConsumerRecord<byte[], byte[]> r = batch.get(i);
      EventCodec.Decoded d = decodeOnce(r.value(), now, seen);
      String by = d instanceof EventCodec.Accepted a && CloudEvent.BREACH_OPENED.equals(a.event().type())
          && a.event().data() instanceof BreachData b ? resolved.get(b.breachId()) : null;
      reads[i] = new Read(d, by);
      if (saysResolved(r)) {
        resolves(r, d, resolved);
      }
    }
    return List.of(reads);
  }

  private EventCodec.Decoded decodeOnce(byte[] value, Instant now, Map<ByteBuffer, EventCodec.Decoded> seen) {
    if (value == null) {
      return decode(null, now);
    }
    return seen.computeIfAbsent(ByteBuffer.wrap(value), k -> decode(value, now));
  }

  /** Notes in {@code resolved} (breach id to where) the verified {@code breach.resolved} {@code d} of record {@code r}. */
  private static void resolves(ConsumerRecord<byte[], byte[]> r, EventCodec.Decoded d, Map<String, String> resolved) {
    if (d instanceof EventCodec.Accepted a && CloudEvent.BREACH_RESOLVED.equals(a.event().type())
        && a.event().data() instanceof BreachData b) {
      resolved.put(b.breachId(), "breach.resolved " + a.event().id() + " at offset " + r.offset());
    }
  }

  private static boolean saysResolved(ConsumerRecord<byte[], byte[]> r) {
    Header type = r.headers().lastHeader(CE_TYPE);
    return type != null && type.value() != null
        && CloudEvent.BREACH_RESOLVED.equals(new String(type.value(), StandardCharsets.UTF_8));
  }

  /** As {@link #handle} up to the engine: counts and logs what is not acted on (null), else the event. */
  private EngineBatch.Item item(ConsumerRecord<byte[], byte[]> record, Read read) {
    if (read.decoded() instanceof EventCodec.Rejected r) {
      engine.rejected(r.reason().label());
      RollbackLog.rejected(coordinates(record), r.reason().label(), printable(r.detail(), 200));
      return null;
    }
    CloudEvent e = ((EventCodec.Accepted) read.decoded()).event();
    if (!CloudEvent.BREACH_OPENED.equals(e.type())) {
      if (!CloudEvent.BREACH_RESOLVED.equals(e.type())) {
        engine.rejected(EventCodec.Reason.MALFORMED.label());
        RollbackLog.rejected(coordinates(record), EventCodec.Reason.MALFORMED.label(),
            "a " + printable(e.type(), 100) + " event on the breaches topic");
      }
      return null;
    }
    return new EngineBatch.Item(BreachEvent.of(e), read.resolvedBy());
  }

  /**
   * Where a verified {@code breach.resolved} of {@code breachId} is among {@code later}, or null.
   * Only records whose {@code ce_type} header says {@code breach.resolved} are verified.
   */
  private String resolvedBy(String breachId, List<ConsumerRecord<byte[], byte[]>> later, Instant now) {
    for (ConsumerRecord<byte[], byte[]> r : later) {
      Header type = r.headers().lastHeader(CE_TYPE);
      if (type == null || type.value() == null
          || !CloudEvent.BREACH_RESOLVED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
        continue;
      }
      if (decode(r.value(), now) instanceof EventCodec.Accepted a && CloudEvent.BREACH_RESOLVED.equals(a.event().type())
          && a.event().data() instanceof BreachData b && b.breachId().equals(breachId)) {
        return "breach.resolved " + a.event().id() + " at offset " + r.offset();
      }
    }
    return null;
  }

  /** {@link EventCodec#verify}, and whatever it might still throw is a malformed record too. */
  private EventCodec.Decoded decode(byte[] value, Instant now) {
    try {
      if (value == null) {
        return new EventCodec.Rejected(EventCodec.Reason.MALFORMED, "the record has no value");
      }
      return EventCodec.verify(value, trusted, now);
    } catch (RuntimeException | StackOverflowError e) {
      return new EventCodec.Rejected(EventCodec.Reason.MALFORMED, "unreadable record (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  static String coordinates(ConsumerRecord<?, ?> r) {
    return printable(r.topic(), 250) + "-" + r.partition() + "@" + r.offset();
  }

  /** {@code s} for one log line: control characters as {@code ?}, at most {@code max} characters. */
  static String printable(String s, int max) {
    if (s == null) {
      return "";
    }
    String clipped = s.length() <= max ? s : s.substring(0, max) + "…";
    StringBuilder b = new StringBuilder(clipped.length());
    clipped.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }
}
