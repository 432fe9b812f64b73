/**
 * The one crash-safe record log of Vigil: an append-only file of length + CRC32C framed records,
 * forced to disk before an append returns, recovered after a crash, and compacted by rewriting it
 * beside itself and renaming it into place.
 *
 * <p>Owns: the frame format, append + force, recovery (only a torn tail is truncated; a corrupt
 * record in the middle is skipped, counted, its offset logged and the damaged file kept aside),
 * compaction, and a read-only scan for tools that look at a log another process is writing. It
 * knows nothing of what a record means: its owners ({@code events.Outbox},
 * {@code rollback.DedupStore}, and the evidence log and state snapshot to come) encode and decode
 * their payloads.
 *
 * <p>May depend on: the JDK and SLF4J only.
 */
package dev.vigil.recordlog;
