package dev.vigil.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The monitor's HTTP server. {@code adminToken} guards {@code POST /-/reload}; null disables admin
 * endpoints (they answer 403). {@code web}: TLS, auth and a separate metrics port ({@link WebConfig}). Its {@link #toString()} never shows the token. Immutable.
 *
 * @param maxConnections most connections open at once; further ones are closed at once
 * @param idleTimeout a connection with no byte in either direction for this long is closed
 * @param requestTimeout a connection must deliver a whole request head within this time of opening
 *     (or of its previous response), else it is closed: bounds slow-drip headers
 */
public record ServerConfig(String host, int port, String adminToken, int maxConnections, Duration idleTimeout,
    Duration requestTimeout, WebConfig web) {
  public static final int DEFAULT_PORT = 9470;
  public static final int DEFAULT_MAX_CONNECTIONS = 256;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public ServerConfig {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(web, "web");
  }

  /** The server without TLS, auth or a metrics port of its own ({@link WebConfig#none()}). */
  public ServerConfig(String host, int port, String adminToken, int maxConnections, Duration idleTimeout,
      Duration requestTimeout) {
    this(host, port, adminToken, maxConnections, idleTimeout, requestTimeout, WebConfig.none());
  }

  /** The server with the default connection limits. */
  public ServerConfig(String host, int port, String adminToken) {
    this(host, port, adminToken, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", adminToken=" + (adminToken == null ? "none" : "***")
        + ", maxConnections=" + maxConnections + ", idleTimeout=" + idleTimeout + ", requestTimeout=" + requestTimeout
        + ", web=" + web + "]";
  }

  static final String DEFAULT_HOST = "0.0.0.0";
  static final int MIN_TOKEN_LENGTH = 16;
  static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  private static final List<String> KEYS =
      List.of("host", "port", "adminToken", "maxConnections", "idleTimeout", "requestTimeout", "tls", "auth", "metricsPort");

  /** {@code server}: host, port, the optional admin token (never echoed in messages) and the connection limits. */
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
    WebConfig web = WebConfig.read(m);
    m.check("metricsPort", web.metricsPort() == null || web.metricsPort() == 0 || web.metricsPort() != port,
        "must differ from server.port");
    return new ServerConfig(host, port, token, maxConnections, idle, request, web);
  }
}
