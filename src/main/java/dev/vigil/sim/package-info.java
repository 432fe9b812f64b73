/**
 * The fleet simulator ({@code vigil simulate}, the demo, the tests and benchmarks): services that
 * sign real attestations, blue and green, with faults on demand through an admin API, and a
 * traffic router the rollback controller can switch.
 *
 * <p>Depends on {@code attest} and {@code score} and Vert.x; only {@code cli}, {@code bench} and
 * tests depend on it.
 */
package dev.vigil.sim;
