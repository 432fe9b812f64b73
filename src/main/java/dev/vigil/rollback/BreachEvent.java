package dev.vigil.rollback;

import dev.vigil.events.BreachData;
import dev.vigil.events.CloudEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@code dev.vigil.breach.opened} event the consumer has already parsed and whose DSSE signature
 * it has verified (events-v1): the fields the rollback controller acts on. Immutable.
 *
 * @param eventId the CloudEvent {@code id}, stable across redeliveries
 * @param breachId the breach's {@code breachId}
 * @param environment the breached side, normally {@code green}
 * @param severity the severity label ({@code critical}, {@code high}, {@code warning})
 * @param time the CloudEvent {@code time} (or {@code openedAt})
 */
public record BreachEvent(String eventId, String breachId, String service, String environment, String rule,
    String severity, Instant time) {
  public BreachEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(breachId, "breachId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(time, "time");
  }

  /** The fields of {@code e}, a verified {@code breach.opened}: the one place a CloudEvent becomes a BreachEvent. */
  public static BreachEvent of(CloudEvent e) {
    if (!CloudEvent.BREACH_OPENED.equals(e.type()) || !(e.data() instanceof BreachData b)) {
      throw new IllegalArgumentException("not a " + CloudEvent.BREACH_OPENED + " event: " + e.type());
    }
    return new BreachEvent(e.id(), b.breachId(), b.service(), b.environment(), b.rule(), b.severity(), e.time());
  }
}
