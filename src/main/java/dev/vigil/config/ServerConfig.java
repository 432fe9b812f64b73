package dev.vigil.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The monitor's HTTP server. {@code adminToken} guards {@code POST /-/reload}; null disables admin
 * endpoints (they answer 403). Its {@link #toString()} never shows the token. Immutable.
 *
 * @param maxConnections most connections open at once; further ones are closed at once
 * @param idleTimeout a connection with no byte in either direction for this long is closed
 * @param requestTimeout a connection must deliver a whole request head within this time of opening
 *     (or of its previous response), else it is closed: bounds slow-drip headers
 */
public record ServerConfig(String host, int port, String adminToken, int maxConnections, Duration idleTimeout,
    Duration requestTimeout) {
  public static final int DEFAULT_PORT = 9470;
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public ServerConfig {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /** The server with the default connection limits. */
  public ServerConfig(String host, int port, String adminToken) {
    this(host, port, adminToken, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", adminToken=" + (adminToken == null ? "none" : "***")
        + ", maxConnections=" + maxConnections + ", idleTimeout=" + idleTimeout + ", requestTimeout=" + requestTimeout + "]";
  }
}
