package dev.vigil.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1, an ephemeral port, recording every request it saw. Handlers run
 * on their own threads so that one blocked handler never blocks {@link #close()}.
 */
final class LoopbackServer implements AutoCloseable {
  /** What the server saw of one request. */
  record Request(String method, String path, String nonce, String accept) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "loopback-server");
    t.setDaemon(true);
    return t;
  });
  final List<Request> requests = new CopyOnWriteArrayList<>();

  private LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
  }

  /** Starts a server whose {@code path} is served by {@code handler}; every request is recorded first. */
  static LoopbackServer start(String path, HttpHandler handler) throws IOException {
    LoopbackServer s = new LoopbackServer();
    s.route(path, handler);
    s.server.start();
    return s;
  }

  /** Adds another route (requests to it are recorded too). */
  LoopbackServer route(String path, HttpHandler handler) {
    server.createContext(path, exchange -> {
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          nonceOf(exchange), exchange.getRequestHeaders().getFirst("Accept")));
      try (exchange) {
        handler.handle(exchange);
      }
    });
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The decoded {@code nonce} query parameter of a request, or null. */
  static String nonceOf(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("nonce")) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.dsse.envelope.v1+json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a handler of the loopback server did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the loopback server", e);
    }
  }
}
