/**
 * {@code vigil report}: the compliance and readiness report computed from the evidence log
 * (evidence-v1), so that every figure in it can be traced to signed, checkpointed entries.
 *
 * <p>Owns: loading the entries a checkpoint covers from a log directory or a monitor's evidence
 * endpoints and checking them against the checkpoint ({@link dev.vigil.report.EvidenceSource}), the
 * pure computation of the figures ({@link dev.vigil.report.ReportBuilder}, time passed in), the
 * report model ({@link dev.vigil.report.Report}) and its renderers (JSON, Markdown, one
 * self-contained HTML file with inline SVG).
 *
 * <p>May depend on: the JDK, Jackson, {@code evidence} (entries, checkpoints, the Merkle tree),
 * {@code attest} (reading statements out of stored envelopes, keys) and {@code poll} (the one HTTP
 * client, for {@code --url}). Nothing depends on it but the command line.
 */
package dev.vigil.report;
