/**
 * The rollback controller: when a verified breach event arrives, move the breached service's
 * traffic from green back to blue, validate blue by its own attestation, and report with a signed
 * {@code rollback.finished} (events-v1).
 *
 * <h2>From Kafka to the engine</h2>
 *
 * <p>{@link dev.vigil.rollback.RollbackController} builds and runs it from the configuration. {@link
 * dev.vigil.rollback.KafkaBreachConsumer} hands each record of {@code constitutional.breaches}, in
 * partition order, to {@link dev.vigil.rollback.BreachRecords}, which verifies it (a record that
 * fails verification is counted, logged once with its coordinates and committed, never answered)
 * and passes a verified {@code breach.opened}, as a {@link dev.vigil.rollback.BreachEvent}, to
 * {@link dev.vigil.rollback.RollbackEngine#handle}. The consumer hands over the records one poll
 * fetched for a partition as a batch ({@link dev.vigil.rollback.BatchHandler}): they are verified
 * together on a worker, and the skips among them (duplicates, stale events, guarded skips) are
 * published with one producer flush and recorded with one fsync ({@link
 * dev.vigil.rollback.EngineBatch}); a rollback runs on its own, in order. An offset is committed
 * only when its outcome was acknowledged and recorded; a failed record is delivered again, and after {@code controller.maxAttempts}
 * non-retriable failures goes to {@link dev.vigil.rollback.DeadLetters} instead. {@link
 * dev.vigil.rollback.PartitionProgress} exports lag and stalls per partition.
 *
 * <p>Parts: {@link dev.vigil.rollback.Guards} (pure decision core), {@link
 * dev.vigil.rollback.DedupStore} (crash-safe de-duplication), {@link dev.vigil.rollback.Actuator}
 * and its implementations (Istio VirtualService, Kubernetes Service selector, webhook, simulator
 * router), {@link dev.vigil.rollback.BlueValidation}, {@link dev.vigil.rollback.RollbackMetrics},
 * {@link dev.vigil.rollback.RollbackEngine}.
 *
 * <p>Depends on {@code config}, {@code attest} (verification), {@code score} (severities),
 * {@code events} (the event codec and producers) and {@code poll} (the monitor's probe, for blue
 * validation); only the command line, the demo and the benchmarks depend on it.
 */
package dev.vigil.rollback;
