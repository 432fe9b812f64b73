/**
 * The monitor daemon's composition: configuration into targets, the scheduler and poller, the
 * scorer, metrics, events and the HTTP server, and configuration reloads. The one place a monitor
 * is wired.
 *
 * <p>Depends on {@code attest}, {@code config}, {@code poll}, {@code score}, {@code events} and
 * {@code http}; {@code cli} and {@code bench} depend on it.
 */
package dev.vigil.monitor;
