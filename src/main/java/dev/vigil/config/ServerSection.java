package dev.vigil.config;

import java.time.Duration;
import java.util.List;

/** {@code server}: host, port, the optional admin token (never echoed in messages) and the connection limits. */
final class ServerSection {
  static final String DEFAULT_HOST = "0.0.0.0";
  static final int MIN_TOKEN_LENGTH = 16;
  static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  private static final List<String> KEYS =
      List.of("host", "port", "adminToken", "maxConnections", "idleTimeout", "requestTimeout");

  private ServerSection() {}

  static ServerConfig read(Node node) {
    Mapping m = Mapping.of(node, KEYS);
    String host = m.string("host", DEFAULT_HOST);
    m.check("host", host.matches("\\S+"),
        "must be a host name or IP address without spaces");
    int port = m.integer("port", ServerConfig.DEFAULT_PORT, 0, 65_535);
    String token = m.secret("adminToken", null);
    if (token != null && token.isEmpty()) {
      token = null; // e.g. ${VIGIL_ADMIN_TOKEN:-}: admin endpoints disabled
    }
    m.check("adminToken", token == null || token.length() >= MIN_TOKEN_LENGTH,
        "must be at least " + MIN_TOKEN_LENGTH + " characters long");
    int maxConnections = m.integer("maxConnections", ServerConfig.DEFAULT_MAX_CONNECTIONS, 1, 100_000);
    Duration idle = m.duration("idleTimeout", ServerConfig.DEFAULT_IDLE_TIMEOUT);
    m.check("idleTimeout", idle.compareTo(MIN_TIMEOUT) >= 0,
        "must be at least " + Durations.format(MIN_TIMEOUT) + ", got " + Durations.format(idle));
    Duration request = m.duration("requestTimeout", ServerConfig.DEFAULT_REQUEST_TIMEOUT);
    m.check("requestTimeout", request.compareTo(MIN_TIMEOUT) >= 0,
        "must be at least " + Durations.format(MIN_TIMEOUT) + ", got " + Durations.format(request));
    return new ServerConfig(host, port, token, maxConnections, idle, request);
  }
}
