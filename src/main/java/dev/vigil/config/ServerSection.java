package dev.vigil.config;

import java.util.List;

/** {@code server}: host, port and the optional admin token (never echoed in messages). */
final class ServerSection {
  static final String DEFAULT_HOST = "0.0.0.0";
  static final int MIN_TOKEN_LENGTH = 16;
  private static final List<String> KEYS = List.of("host", "port", "adminToken");

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
    return new ServerConfig(host, port, token);
  }
}
