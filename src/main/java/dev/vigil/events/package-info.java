/**
 * Breach and rollback events (events-v1): the CloudEvent model and its data, event signing and
 * verification (a DSSE envelope with the producer's event key), the durable outbox every event
 * goes through, the Kafka publisher ({@code acks=all}, idempotent, sends off the event loop), and
 * {@link dev.vigil.events.EventTail}, a read-only verified tail of events topics (the status page
 * reads the rollback controller's events with it).
 * Also the embedded KRaft broker used by the demo and the benchmarks.
 *
 * <p>Depends on {@code attest} (envelopes, keys), {@code config} and {@code score} (breaches);
 * {@code monitor} and {@code rollback} depend on it, never the other way round.
 */
package dev.vigil.events;
