/**
 * The evidence log of evidence-v1: an append-only, tamper-evident log of what the monitor observed,
 * which an auditor can check without trusting the monitor's operator.
 *
 * <p>Owns: the entry model and its exact compact JSON ({@link dev.vigil.evidence.Entry}), the
 * RFC 9162 Merkle tree kept incrementally with inclusion and consistency proofs and their
 * verification ({@link dev.vigil.evidence.MerkleTree}, {@link dev.vigil.evidence.Rfc9162}), C2SP
 * checkpoints and signed notes ({@link dev.vigil.evidence.Checkpoint},
 * {@link dev.vigil.evidence.NoteKey}, {@link dev.vigil.evidence.SignedCheckpoint}), the log on disk
 * ({@link dev.vigil.evidence.EvidenceLog}) and the offline audit
 * ({@link dev.vigil.evidence.Audit}).
 *
 * <p>May depend on: the JDK, Jackson, Bouncy Castle (through {@code attest}), {@code attest} (keys,
 * envelope verification), {@code recordlog} (crash-safe storage) and {@code config} (only
 * {@link dev.vigil.evidence.Audit}, to re-verify envelopes against a fleet's trusted keys). It
 * depends on no Vert.x, no monitor, no HTTP: the monitor feeds it, the HTTP layer reads it.
 */
package dev.vigil.evidence;
