/**
 * The daemons' HTTP side: the monitor's server ({@code /metrics}, health, the JSON API, the status
 * pages and badges of {@code StatusRoutes}, and the admin endpoints), the shared
 * {@link dev.vigil.http.MetricsRegistry} behind the
 * monitor's and the rollback controller's {@code /metrics}, and the server limits every daemon
 * applies. The monitor's server renders what {@link dev.vigil.http.MonitorView} exposes
 * ({@link dev.vigil.http.MonitorSnapshot}, {@link dev.vigil.http.TargetStatus}, and the bounded
 * {@link dev.vigil.http.PollHistory} the monitor feeds) and changes nothing but through the view's own
 * operation (reload).
 *
 * The rollback controller's work (traffic weights, rollbacks, rollouts) reaches the pages as a
 * {@link dev.vigil.http.TrafficView} folded from its verified events.
 *
 * <p>Depends on {@code attest}, {@code config}, {@code score}, {@code poll} and {@code events}' value types only. The dependency with {@code monitor} is one
 * way: {@code monitor} implements the view and wires the server; {@code http} imports nothing from
 * {@code monitor}.
 */
package dev.vigil.http;
