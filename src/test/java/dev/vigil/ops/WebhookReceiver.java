package dev.vigil.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A paging bridge stand-in: a JDK HTTP server on 127.0.0.1:0 that records every webhook post it gets. */
final class WebhookReceiver implements AutoCloseable {
  /** One post: the path it came to (the receiver) and its JSON body. */
  record Post(String path, JsonNode body) {}

  private final HttpServer server;
  final List<Post> posts = new CopyOnWriteArrayList<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        posts.add(new Post(exchange.getRequestURI().getPath(), OpsFiles.JSON.readTree(in.readAllBytes())));
        exchange.sendResponseHeaders(200, -1);
      } catch (IOException | RuntimeException e) {
        exchange.sendResponseHeaders(400, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every alert of every post to {@code path} (e.g. "/vigil-page"), each with the post's status. */
  List<JsonNode> alerts(String path) {
    List<JsonNode> out = new ArrayList<>();
    for (Post p : posts) {
      if (p.path().equals(path)) {
        p.body().path("alerts").forEach(out::add);
      }
    }
    return out;
  }

  static boolean matches(JsonNode alert, String status, String alertname, String service) {
    return alert.path("status").asText().equals(status) && alert.at("/labels/alertname").asText().equals(alertname)
        && (service == null || alert.at("/labels/service").asText().equals(service));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
