/**
 * Polling targets: the fresh nonce, the one Vert.x HTTP probe (used by the monitor, blue
 * validation and {@code vigil verify --url}), the poller (retries, verification on a worker pool,
 * the sequence baseline) and the scheduler (interval, jitter, concurrency limit).
 *
 * <p>Depends on {@code attest}, {@code config} and {@code score} (target ids) and Vert.x; never
 * verifies on an event loop.
 */
package dev.vigil.poll;
