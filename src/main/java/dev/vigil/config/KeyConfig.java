package dev.vigil.config;

import dev.vigil.attest.TrustedKey;

/**
 * A trusted key as configured and loaded: the key read from its PEM file at load, with its scheme,
 * validity window, revocation and scope already applied (a key without an explicit scope is
 * scoped to its target's service). Immutable.
 *
 * @param source where the key came from (a file path), for messages
 */
public record KeyConfig(String source, TrustedKey key) {}
