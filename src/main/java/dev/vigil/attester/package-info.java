/**
 * {@code vigil attester}: the attestation sidecar for a service that cannot sign by itself. It
 * serves {@code GET /attestation?nonce=N} over the constitution document it is pointed at, signed
 * with the service's key.
 *
 * <p>Depends on {@code attest} (statement, signer) and Vert.x; nothing depends on it but {@code cli}.
 */
package dev.vigil.attester;
