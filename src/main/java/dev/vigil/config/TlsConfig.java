package dev.vigil.config;

import java.nio.file.Path;

/**
 * TLS options of a target: a CA bundle to trust (PEM), and a client certificate and key for mTLS.
 * Any may be null. Immutable.
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile, boolean verifyHostname) {}
