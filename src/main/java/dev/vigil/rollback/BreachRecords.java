package dev.vigil.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.TrustStore;
import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.EventCodec;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * What the controller does with one message value of the breaches topic (events-v1): verify the
 * DSSE envelope against the trusted monitor keys, then hand a verified {@code breach.opened} to the
 * engine; a {@code breach.resolved} is ignored; anything not verified is never acted on. The future
 * succeeds when the message may be committed. Call on the engine's context.
 */
public final class BreachRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_READ_BYTES = 1 << 20;

  private final RollbackEngine engine;
  private final TrustStore trusted;

  public BreachRecords(RollbackEngine engine, TrustStore trusted) {
    this.engine = engine;
    this.trusted = trusted;
  }

  /** Handles the message {@code value} received at {@code now}. */
  public Future<Void> handle(byte[] value, Instant now) {
    EventCodec.Decoded d = EventCodec.verify(value, trusted, now);
    if (d instanceof EventCodec.Rejected r) {
      // Not verified: its content is not to be believed, but when it reads as a breach event it is
      // reported (skipped, untrusted_event) so that someone sees a forged or broken event.
      Optional<BreachEvent> readable = unverified(value);
      if (readable.isPresent()) {
        return engine.untrusted(readable.get(), r.reason().label() + ": " + r.detail()).mapEmpty();
      }
      engine.rejected(r.reason().label());
      return Future.succeededFuture();
    }
    CloudEvent e = ((EventCodec.Accepted) d).event();
    if (!CloudEvent.BREACH_OPENED.equals(e.type())) {
      if (!CloudEvent.BREACH_RESOLVED.equals(e.type())) {
        engine.rejected(EventCodec.Reason.MALFORMED.label()); // a rollback.finished has no business here
      }
      return Future.succeededFuture();
    }
    BreachData b = (BreachData) e.data();
    return engine.handle(new BreachEvent(e.id(), b.breachId(), b.service(), b.environment(), b.rule(), b.severity(),
        e.time())).mapEmpty();
  }

  /**
   * What a message that did not verify claims to be: the CloudEvent inside a DSSE envelope
   * (signatures ignored) or a bare CloudEvent, when it is a well-formed breach event.
   */
  static Optional<BreachEvent> unverified(byte[] value) {
    if (value == null || value.length == 0 || value.length > MAX_READ_BYTES) {
      return Optional.empty();
    }
    byte[] json = value;
    try {
      JsonNode root = JSON.readTree(value);
      if (root != null && root.isObject() && root.path("payload").isTextual()) {
        json = Base64.getDecoder().decode(root.get("payload").textValue());
      }
      CloudEvent e = EventCodec.parse(json);
      if (e.data() instanceof BreachData b && CloudEvent.BREACH_OPENED.equals(e.type())) {
        return Optional.of(new BreachEvent(e.id(), b.breachId(), b.service(), b.environment(), b.rule(), b.severity(),
            e.time()));
      }
    } catch (java.io.IOException | IllegalArgumentException | EventCodec.EventFormatException ignored) {
      // unreadable: counted by the caller
    }
    return Optional.empty();
  }
}
