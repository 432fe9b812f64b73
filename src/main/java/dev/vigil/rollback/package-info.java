/**
 * The rollback controller, everything but Kafka: when a breach event arrives, move the breached
 * service's traffic from green back to blue, validate blue by its own attestation, and report.
 *
 * <h2>The seam for the Kafka consumer</h2>
 *
 * <p>The consumer adapter (package {@code events}, built later) is thin:
 *
 * <ol>
 *   <li>At start: {@link dev.vigil.rollback.RollbackRuntime#start} with the configuration, an
 *       {@link dev.vigil.rollback.OutcomeSink} (the Kafka producer of {@code rollback.finished}
 *       on {@code constitutional.rollbacks}, keyed by service; its future completes when Kafka
 *       acknowledged with {@code acks=all}) and the metrics registry.
 *   <li>For each record of {@code constitutional.breaches}, in partition order: verify the DSSE
 *       envelope against the trusted monitor keys. Not verified: {@link
 *       dev.vigil.rollback.RollbackEngine#untrusted}. Not parseable: {@link
 *       dev.vigil.rollback.RollbackEngine#rejected} with {@code malformed}. A
 *       {@code breach.resolved}: ignore. A verified {@code breach.opened}: build a {@link
 *       dev.vigil.rollback.BreachEvent} (CloudEvent {@code id}, data {@code breachId},
 *       {@code service}, {@code environment}, {@code rule}, {@code severity}, CloudEvent
 *       {@code time}) and call {@link dev.vigil.rollback.RollbackEngine#handle}.
 *   <li>Commit the record's offset only when that future succeeded (the outcome was acknowledged
 *       and recorded). When it failed, do not commit: seek back and deliver the record again; the
 *       engine resumes (a moved rollback is validated and reported, never moved twice).
 * </ol>
 *
 * <p>Parts: {@link dev.vigil.rollback.Guards} (pure decision core), {@link
 * dev.vigil.rollback.DedupStore} (crash-safe de-duplication), {@link dev.vigil.rollback.Actuator}
 * and its implementations (Istio VirtualService, Kubernetes Service selector, webhook, simulator
 * router), {@link dev.vigil.rollback.BlueValidation}, {@link dev.vigil.rollback.RollbackMetrics},
 * {@link dev.vigil.rollback.RollbackEngine}.
 */
package dev.vigil.rollback;
