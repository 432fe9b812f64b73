package dev.vigil.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one of Vigil's own HTTP servers (the monitor's {@code server}, the controller's {@code controller})
 * is secured, like exporter-toolkit's {@code --web.config.file}: optional TLS (PEM, reloaded when the files
 * change), optional client certificates, optional bearer or basic auth for everything but the health
 * probes, {@code /metrics} and the admin endpoints (which keep the admin token), and an optional port of
 * its own for {@code /metrics}. Immutable; {@link #toString()} shows no secret.
 *
 * @param tls TLS of the server; null: plain HTTP
 * @param auth credentials required for the status pages and {@code /api/*}; null: none
 * @param metricsPort a second listener serving only {@code /metrics} and {@code /health/*} (0: any free
 *     port); the main port then answers 404 for {@code /metrics}. Null: {@code /metrics} on the main port
 */
public record WebConfig(Tls tls, Auth auth, Integer metricsPort) {
  private static final WebConfig NONE = new WebConfig(null, null, null);

  /** Plain HTTP, no auth, {@code /metrics} on the main port. */
  public static WebConfig none() {
    return NONE;
  }

  /** How client certificates are checked. */
  public enum ClientAuth {
    /**
     * The TLS handshake asks for a certificate and refuses an untrusted one; every path but
     * {@code /health/live} and {@code /health/ready} answers 401 without a trusted one, so that
     * kubelet probes (which present none) still work. The default.
     */
    REQUIRE_EXCEPT_HEALTH("requireExceptHealth"),
    /** The TLS handshake fails without a trusted certificate, for every path (probe with tcpSocket). */
    REQUIRE("require");

    private final String yaml;

    ClientAuth(String yaml) {
      this.yaml = yaml;
    }

    /** The YAML spelling. */
    public String yaml() {
      return yaml;
    }

    static ClientAuth parse(String text) {
      for (ClientAuth c : values()) {
        if (c.yaml.equals(text)) {
          return c;
        }
      }
      throw new IllegalArgumentException("expected requireExceptHealth or require, got " + Node.quote(text));
    }
  }

  /**
   * TLS of a server.
   *
   * @param certFile the server's certificate chain (PEM, leaf first)
   * @param keyFile its private key (PEM: PKCS#8, PKCS#1 or EC)
   * @param clientCaFile CA certificates (PEM) that client certificates must chain to; null: no client certificates
   * @param clientAuth how client certificates are enforced (meaningful with {@code clientCaFile})
   * @param reloadInterval how often the three files are checked for changes; changed files are loaded
   *     without a restart (a bad or expired pair is refused and the previous one kept)
   */
  public record Tls(java.nio.file.Path certFile, java.nio.file.Path keyFile, java.nio.file.Path clientCaFile,
      ClientAuth clientAuth, Duration reloadInterval) {
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(30);
    static final Duration MIN_RELOAD_INTERVAL = Duration.ofMillis(100);

    public Tls {
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(clientAuth, "clientAuth");
      Objects.requireNonNull(reloadInterval, "reloadInterval");
    }
  }

  /**
   * Credentials for the status pages and {@code /api/*}. A request is admitted with any one of them, or
   * with the admin token.
   *
   * @param bearerToken a token presented as {@code Authorization: Bearer ...}; null: none
   * @param basicUsers user name to bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}), as
   *     exporter-toolkit's {@code basic_auth_users}; empty: none
   * @param metrics whether {@code /metrics} needs them too (default false: keep scraping open, or
   *     move it to {@code metricsPort})
   */
  public record Auth(String bearerToken, Map<String, String> basicUsers, boolean metrics) {
    public Auth {
      basicUsers = Map.copyOf(basicUsers);
    }

    @Override
    public String toString() {
      return "Auth[bearerToken=" + (bearerToken == null ? "none" : "***") + ", basicUsers=" + basicUsers.keySet()
          + ", metrics=" + metrics + "]";
    }
  }

  static final List<String> KEYS = List.of("tls", "auth", "metricsPort");
  private static final List<String> TLS_KEYS = List.of("certFile", "keyFile", "clientCaFile", "clientAuth",
      "reloadInterval");
  private static final List<String> AUTH_KEYS = List.of("bearerToken", "basicUsers", "metrics");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
  static final int MIN_TOKEN_LENGTH = 16;

  /** Reads {@code tls}, {@code auth} and {@code metricsPort} of the server mapping {@code m}. */
  static WebConfig read(Mapping m) {
    Tls tls = readTls(m.node("tls"));
    Auth auth = readAuth(m.node("auth"));
    Integer metricsPort = m.has("metricsPort") ? m.integer("metricsPort", 0, 0, 65_535) : null;
    return tls == null && auth == null && metricsPort == null ? NONE : new WebConfig(tls, auth, metricsPort);
  }

  private static Tls readTls(Node node) {
    if (node.isAbsent()) {
      return null;
    }
    Mapping m = Mapping.of(node, TLS_KEYS);
    m.require("certFile");
    m.require("keyFile");
    java.nio.file.Path cert = TlsConfig.file(m, "certFile");
    java.nio.file.Path key = TlsConfig.file(m, "keyFile");
    java.nio.file.Path ca = TlsConfig.file(m, "clientCaFile");
    ClientAuth clientAuth = m.parsed("clientAuth", ClientAuth.REQUIRE_EXCEPT_HEALTH, ClientAuth::parse);
    m.check("clientAuth", !m.has("clientAuth") || m.has("clientCaFile"),
        "needs clientCaFile (the CA that client certificates must chain to)");
    Duration reload = m.duration("reloadInterval", Tls.DEFAULT_RELOAD_INTERVAL);
    m.check("reloadInterval", reload.compareTo(Tls.MIN_RELOAD_INTERVAL) >= 0,
        "must be at least " + Durations.format(Tls.MIN_RELOAD_INTERVAL) + ", got " + Durations.format(reload));
    if (cert == null || key == null || !m.ok()) {
      return null;
    }
    return new Tls(cert, key, ca, clientAuth, reload);
  }

  private static Auth readAuth(Node node) {
    if (node.isAbsent()) {
      return null;
    }
    Mapping m = Mapping.of(node, AUTH_KEYS);
    String token = m.secret("bearerToken", null);
    m.check("bearerToken", token == null || token.length() >= MIN_TOKEN_LENGTH,
        "must be at least " + MIN_TOKEN_LENGTH + " characters long");
    Map<String, String> users = new LinkedHashMap<>();
    Map<String, Node> entries = m.node("basicUsers").entries("a mapping of user name to bcrypt hash");
    m.check("basicUsers", !m.has("basicUsers") || !entries.isEmpty() || !m.node("basicUsers").isMapping(),
        "must name at least one user");
    for (Map.Entry<String, Node> e : entries.entrySet()) {
      String hash = e.getValue().secret();
      if (hash == null) {
        continue;
      }
      if (e.getKey().isEmpty() || e.getKey().contains(":")) {
        e.getValue().error("a user name must be non-empty and hold no ':'");
      } else if (!BCRYPT.matcher(hash).matches()) {
        e.getValue().error("expected a bcrypt hash ($2y$10$ and 53 more characters, e.g. from "
            + "'htpasswd -nbBC 10 USER PASSWORD'); the value is not shown");
      } else {
        users.put(e.getKey(), hash);
      }
    }
    boolean metrics = m.bool("metrics", false);
    m.check("bearerToken", m.has("bearerToken") || m.has("basicUsers"),
        "auth needs bearerToken or basicUsers (or remove auth)");
    if (!m.ok()) {
      return null;
    }
    return new Auth(token, users, metrics);
  }
}
