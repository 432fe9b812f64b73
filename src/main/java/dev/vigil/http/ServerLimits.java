package dev.vigil.http;

import dev.vigil.config.ServerConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The bounds every Vigil HTTP server applies, so that no client can hold its resources: at most
 * {@code maxConnections} open at once (further ones are closed at once and counted), a connection
 * idle in both directions for {@code idleTimeout} is closed, and one that has not delivered a whole
 * request head within {@code requestTimeout} of opening (or of its previous response) is closed.
 *
 * <p>Usage, for any server: {@code vertx.createHttpServer(limits.options(new HttpServerOptions()))},
 * then {@code limits.install(vertx, server, router)} instead of {@code server.requestHandler(router)};
 * keep the returned {@link ConnectionGuard} for its counts. Immutable and thread-safe.
 */
public record ServerLimits(int maxConnections, Duration idleTimeout, Duration requestTimeout) {
  public ServerLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** The limits of a server section ({@code server.maxConnections}, {@code idleTimeout}, {@code requestTimeout}). */
  public static ServerLimits of(ServerConfig c) {
    return new ServerLimits(c.maxConnections(), c.idleTimeout(), c.requestTimeout());
  }

  /** The defaults of {@link ServerConfig}: 256 connections, 30 s idle, 10 s to send a request head. */
  public static ServerLimits defaults() {
    return new ServerLimits(ServerConfig.DEFAULT_MAX_CONNECTIONS, ServerConfig.DEFAULT_IDLE_TIMEOUT,
        ServerConfig.DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * {@code base} with the idle timeout, bounded request heads (4 KiB request line, 8 KiB headers),
   * and HTTP/1.x only: without cleartext HTTP/2 detection (which waits for a connection's first
   * bytes), the connection cap applies as soon as a connection is accepted.
   */
  public HttpServerOptions options(HttpServerOptions base) {
    return base.setHttp2ClearTextEnabled(false).setIdleTimeout((int) Math.max(1, idleTimeout.toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(4096).setMaxHeaderSize(8192);
  }

  /**
   * Sets {@code server}'s connection handler (the cap and the request timeout) and its request
   * handler ({@code handler}, behind the guard). Call on the context the server will listen on.
   */
  public ConnectionGuard install(Vertx vertx, HttpServer server, Handler<HttpServerRequest> handler) {
    ConnectionGuard guard = new ConnectionGuard(vertx, this);
    server.connectionHandler(guard::onConnection);
    server.requestHandler(req -> guard.onRequest(req, handler));
    return guard;
  }
}
