/**
 * Attestation verification (attestation-v1): the DSSE envelope and its PAE, the in-toto Statement
 * with the constitutional-hash predicate, keys and their signature schemes (Bouncy Castle), the
 * trust store, the {@link dev.vigil.attest.Verifier} that turns the bytes of one response into one
 * {@link dev.vigil.attest.Verdict}, the signer used by attesters and tests, and legacy health
 * evaluation.
 *
 * <p>Pure: no I/O, no Vert.x, no clock (the time of verification is part of the {@link
 * dev.vigil.attest.Expectation}). Depends on Jackson and Bouncy Castle only; every other package
 * may depend on it.
 */
package dev.vigil.attest;
