/**
 * The rollback controller, everything but Kafka: when a breach event arrives, move the breached
 * service's traffic from green back to blue, validate blue by its own attestation, and report.
 *
 * <h2>From Kafka to the engine</h2>
 *
 * <p>{@link dev.vigil.rollback.RollbackController} wires it: {@link
 * dev.vigil.rollback.KafkaBreachConsumer} hands each record of {@code constitutional.breaches}, in
 * partition order, to {@link dev.vigil.rollback.BreachRecords}, which verifies it (a record that
 * fails verification is counted, logged once with its coordinates and committed, never answered),
 * and passes a verified {@code breach.opened} to {@link dev.vigil.rollback.RollbackEngine#handle}.
 * An offset is committed only when that future succeeded; a failed record is delivered again,
 * and after {@code controller.maxAttempts} non-retriable failures goes to {@link
 * dev.vigil.rollback.DeadLetters} instead. {@link dev.vigil.rollback.PartitionProgress} exports
 * lag and stalls per partition.
 *
 * <p>Parts: {@link dev.vigil.rollback.Guards} (pure decision core), {@link
 * dev.vigil.rollback.DedupStore} (crash-safe de-duplication), {@link dev.vigil.rollback.Actuator}
 * and its implementations (Istio VirtualService, Kubernetes Service selector, webhook, simulator
 * router), {@link dev.vigil.rollback.BlueValidation}, {@link dev.vigil.rollback.RollbackMetrics},
 * {@link dev.vigil.rollback.RollbackEngine}.
 */
package dev.vigil.rollback;
