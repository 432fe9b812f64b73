/**
 * Durable target state: what the scorer remembers of each target (window, consecutive-failure
 * counts, open breaches with their ids) and its attestation sequence baseline, as a {@link
 * dev.vigil.state.TargetSnapshot}, serialized by the versioned {@link dev.vigil.state.SnapshotCodec}
 * and kept by a {@link dev.vigil.state.StateStore}: the local record log in {@code state.dir} by
 * default, the compacted Kafka topic {@code constitutional.monitor-state} when Kafka is configured.
 * {@link dev.vigil.state.StateKeeper} is the monitor's side (restore at start, flush at most every
 * {@code state.flushInterval} and at shutdown, {@code state.maxAge}); {@link
 * dev.vigil.state.FleetState} is the read-only fleet-wide view a group reads.
 *
 * <p>May depend on: {@code score}, {@code attest} (verdicts), {@code recordlog}, {@code config},
 * {@code events} (the one Kafka producer settings), Vert.x (the keeper only) and the Kafka clients.
 */
package dev.vigil.state;
