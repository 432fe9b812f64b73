/**
 * OpenTelemetry tracing: off unless configured ({@code tracing:} or the standard {@code OTEL_*}
 * variables), exported over OTLP/HTTP protobuf through the JDK's HttpClient.
 *
 * <p>What is traced: a poll is a root span {@code vigil.poll} with the verdict as an attribute, and
 * {@code vigil.probe} and {@code vigil.verify} as children; a breach transition is a span
 * {@code vigil.breach.opened|resolved} linked to the poll that caused it; the breach event carries
 * the transition's W3C {@code traceparent} as a Kafka header (outside the signed envelope: it
 * correlates, it is never trusted for a decision); the controller's {@code vigil.rollback} span
 * continues that trace, with {@code vigil.actuate} and {@code vigil.validate} as children.
 *
 * <p>When off, {@link Tracing#current()} is {@link Tracing#off()}: every method returns at once
 * with the invalid span, no SDK is built and no thread started.
 */
package dev.vigil.tracing;
