/**
 * The monitor daemon's composition: configuration into targets, the scheduler and poller, the
 * scorer, metrics, events (the Kafka pipeline the verticle opens and closes) and the HTTP server,
 * and configuration reloads. {@link dev.vigil.monitor.MonitorBuilder} is the one place a monitor
 * is wired (the daemon, the demo, the fleet benchmark and the tests all use it).
 *
 * <p>Depends on {@code attest}, {@code config}, {@code poll}, {@code score}, {@code events} and
 * {@code http}: it implements {@code http}'s {@link dev.vigil.http.MonitorView} and fills its value
 * types; {@code http} never depends on it. {@code cli} and {@code bench} depend on it.
 */
package dev.vigil.monitor;
