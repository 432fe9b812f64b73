package dev.vigil.config;

/**
 * The monitor's HTTP server. {@code adminToken} guards {@code POST /-/reload}; null disables admin
 * endpoints (they answer 403). Its {@link #toString()} never shows the token. Immutable.
 */
public record ServerConfig(String host, int port, String adminToken) {
  public static final int DEFAULT_PORT = 9470;

  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", adminToken=" + (adminToken == null ? "none" : "***") + "]";
  }
}
