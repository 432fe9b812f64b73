package dev.vigil.events;

import dev.vigil.score.Breach;
import java.time.Instant;
import java.util.Objects;

/**
 * The {@code data} of {@code dev.vigil.breach.opened} and {@code dev.vigil.breach.resolved}
 * (events-v1), field for field. {@code complianceScore} is null when no score exists yet;
 * {@code resolvedAt} is null in {@code breach.opened}. Times have millisecond precision. Every text
 * field is bounded ({@link Bounds}: a longer value is truncated with a visible marker), so an event
 * never outgrows a Kafka record. Immutable.
 */
public record BreachData(
    String breachId,
    String service,
    String environment,
    String rule,
    String severity,
    String verdict,
    String observed,
    String expected,
    Double complianceScore,
    long windowSeconds,
    int consecutiveFailures,
    Instant openedAt,
    Instant resolvedAt,
    String monitor) implements EventData {

  public BreachData {
    Objects.requireNonNull(breachId, "breachId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(monitor, "monitor");
    breachId = Bounds.text(breachId, Bounds.ID_CHARS);
    service = Bounds.text(service, Bounds.ID_CHARS);
    environment = Bounds.text(environment, Bounds.ID_CHARS);
    rule = Bounds.text(rule, Bounds.ID_CHARS);
    severity = Bounds.text(severity, Bounds.ID_CHARS);
    verdict = Bounds.text(verdict, Bounds.ID_CHARS);
    observed = Bounds.text(observed, Bounds.VALUE_CHARS);
    expected = Bounds.text(expected, Bounds.VALUE_CHARS);
    monitor = Bounds.text(monitor, Bounds.ID_CHARS);
    openedAt = CloudEvent.millis(openedAt);
    resolvedAt = resolvedAt == null ? null : CloudEvent.millis(resolvedAt);
  }

  /** The data of a breach as the monitor {@code monitorId} reports it. */
  public static BreachData of(Breach b, String monitorId) {
    double score = b.complianceScore();
    return new BreachData(b.breachId(), b.target().service(), b.target().environment(), b.rule(), b.severity().label(),
        b.verdict() == null ? null : b.verdict().label(), b.observed(), b.expected(),
        Double.isFinite(score) ? score : null, b.windowSeconds(), b.consecutiveFailures(), b.openedAt(),
        b.resolvedAt(), monitorId);
  }
}
