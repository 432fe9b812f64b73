/**
 * Scoring: per-target sliding windows, the compliance score, the breach rules with their
 * thresholds and consecutive evaluations, breach open/resolve state with stable ids, fleet scores
 * and partition detection.
 *
 * <p>Pure: no I/O, no Vert.x, no clock (every operation takes the time). Depends on {@code attest}
 * (verdicts) only.
 */
package dev.vigil.score;
