/**
 * The monitor's HTTP server: {@code /metrics}, health, the JSON API, the status page and the
 * admin endpoints. It renders what the monitor exposes and changes nothing but through the
 * monitor's own operations (reload).
 *
 * <p>Depends on {@code config}, {@code score} and the monitor's public view; the monitor wires
 * it (the remaining cycle with {@code monitor} is to be replaced by a read-only view interface).
 */
package dev.vigil.http;
