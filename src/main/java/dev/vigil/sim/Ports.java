package dev.vigil.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * Closing a server so that its port really refuses connections when the returned future
 * completes. With NIO, a server channel's close completes before the OS closes the listening
 * socket (netty/netty#8697): for a few milliseconds more, connections are still accepted (and
 * then reset), and a re-bind sees "address already in use". So after the close, the port is
 * probed with a plain TCP connect until it is refused. Stateless; thread-safe.
 */
final class Ports {
  /** Probes every 10 ms for at most 2 s; after that the close is reported done regardless. */
  static final int PROBES = 200;
  static final long PROBE_INTERVAL_MS = 10;

  private Ports() {}

  /** Closes {@code server} (listening on {@code host}) and waits until its port refuses connections. */
  static Future<Void> close(Vertx vertx, HttpServer server, String host) {
    int port = server.actualPort();
    return server.close().transform(ignored -> {
      NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(1000));
      Promise<Void> released = Promise.promise();
      probe(vertx, client, loopbackFor(host), port, PROBES, released);
      return released.future().eventually(client::close);
    });
  }

  private static void probe(Vertx vertx, NetClient client, String host, int port, int left, Promise<Void> released) {
    client.connect(port, host).onComplete(ar -> {
      if (ar.failed()) {
        released.complete();
        return;
      }
      ar.result().close();
      if (left <= 1) {
        released.complete();
      } else {
        vertx.setTimer(PROBE_INTERVAL_MS, t -> probe(vertx, client, host, port, left - 1, released));
      }
    });
  }

  /** Where to probe a server bound to {@code host}: the loopback address for a wildcard. */
  static String loopbackFor(String host) {
    return switch (host) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]", "0:0:0:0:0:0:0:0" -> "::1";
      default -> host;
    };
  }
}
