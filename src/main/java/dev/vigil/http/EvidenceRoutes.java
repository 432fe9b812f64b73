package dev.vigil.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The read-only evidence endpoints of evidence-v1 section 4 on the monitor's API (same access rules
 * as {@code /api/v1/*}: none):
 *
 * <ul>
 *   <li>{@code GET /api/v1/evidence/checkpoint}: the latest signed checkpoint, text/plain (404 when
 *       none);
 *   <li>{@code GET /api/v1/evidence/entries?start=I&end=J}: entries I..J-1 as JSON lines, at most
 *       {@value #MAX_ENTRIES} a call;
 *   <li>{@code GET /api/v1/evidence/proof/inclusion?index=I&size=N}: {@code {"index","size","hashes"}};
 *   <li>{@code GET /api/v1/evidence/proof/consistency?from=M&to=N}: {@code {"from","to","hashes"}}.
 * </ul>
 *
 * <p>Every parameter is required, a decimal integer, within the durable log: otherwise 400 with a
 * JSON error naming the parameter. Reads run on Vert.x's worker pool, never on the event loop; a
 * monitor without an evidence log answers 404. Thread-safe.
 */
public final class EvidenceRoutes {
  /** Entries per call, at most. */
  public static final int MAX_ENTRIES = 1000;
  private static final String JSON = "application/json; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON_LINES = "application/jsonl; charset=utf-8";

  private final Vertx vertx;
  private final Supplier<EvidenceApi> evidence;

  public EvidenceRoutes(Vertx vertx, Supplier<EvidenceApi> evidence) {
    this.vertx = vertx;
    this.evidence = evidence;
  }

  /** Adds the four routes (GET and HEAD) to {@code router}. */
  public void install(Router router) {
    both(router, "/api/v1/evidence/checkpoint", this::checkpoint);
    both(router, "/api/v1/evidence/entries", this::entries);
    both(router, "/api/v1/evidence/proof/inclusion", this::inclusion);
    both(router, "/api/v1/evidence/proof/consistency", this::consistency);
  }

  private static void both(Router router, String path, io.vertx.core.Handler<RoutingContext> h) {
    router.route(HttpMethod.GET, path).handler(h);
    router.route(HttpMethod.HEAD, path).handler(h);
  }

  private EvidenceApi log(RoutingContext rc) {
    EvidenceApi e = evidence.get();
    if (e == null) {
      error(rc, 404, "this monitor keeps no evidence log (evidence.enabled is false)");
    }
    return e;
  }

  private void checkpoint(RoutingContext rc) {
    EvidenceApi e = log(rc);
    if (e == null) {
      return;
    }
    String note = e.checkpoint();
    if (note == null) {
      error(rc, 404, "no checkpoint: " + e.noCheckpointReason());
      return;
    }
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(note);
  }

  private void entries(RoutingContext rc) {
    EvidenceApi e = log(rc);
    if (e == null) {
      return;
    }
    long size = e.size();
    Long start = param(rc, "start", e.first(), size);
    Long end = start == null ? null : param(rc, "end", start, size);
    if (end == null) {
      return;
    }
    if (end - start > MAX_ENTRIES) {
      error(rc, 400, "end: at most " + MAX_ENTRIES + " entries a call; ask for start=" + start + "&end="
          + (start + MAX_ENTRIES) + " and page on");
      return;
    }
    vertx.executeBlocking(() -> {
      List<byte[]> list = e.entries(start, end);
      int total = list.stream().mapToInt(b -> b.length + 1).sum();
      Buffer out = Buffer.buffer(total);
      list.forEach(b -> out.appendBytes(b).appendByte((byte) '\n'));
      return out;
    }, false).onComplete(r -> {
      if (r.succeeded()) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON_LINES).end(r.result());
      } else {
        error(rc, 500, "cannot read the evidence log: " + r.cause().getMessage());
      }
    });
  }

  private void inclusion(RoutingContext rc) {
    EvidenceApi e = log(rc);
    if (e == null) {
      return;
    }
    long size = e.size();
    Long n = param(rc, "size", 1, size);
    Long index = n == null ? null : param(rc, "index", e.first(), n - 1);
    if (index == null) {
      return;
    }
    proof(rc, () -> e.inclusionProof(index, n), ApiJson.MAPPER.createObjectNode().put("index", index).put("size", n));
  }

  private void consistency(RoutingContext rc) {
    EvidenceApi e = log(rc);
    if (e == null) {
      return;
    }
    long size = e.size();
    Long to = param(rc, "to", 0, size);
    Long from = to == null ? null : param(rc, "from", Math.min(e.first(), to), to);
    if (from == null) {
      return;
    }
    proof(rc, () -> e.consistencyProof(from, to), ApiJson.MAPPER.createObjectNode().put("from", from).put("to", to));
  }

  private void proof(RoutingContext rc, java.util.concurrent.Callable<List<byte[]>> hashes, ObjectNode head) {
    vertx.executeBlocking(hashes, false).onComplete(r -> {
      if (r.failed()) {
        error(rc, r.cause() instanceof IllegalArgumentException ? 400 : 500, r.cause().getMessage());
        return;
      }
      ArrayNode a = head.putArray("hashes");
      r.result().forEach(h -> a.add(Base64.getEncoder().encodeToString(h)));
      rc.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(head.toString());
    });
  }

  /** The required decimal parameter {@code name} within {@code min..max}; null after answering 400. */
  private static Long param(RoutingContext rc, String name, long min, long max) {
    List<String> values = rc.queryParam(name);
    if (values.isEmpty()) {
      error(rc, 400, name + ": required");
      return null;
    }
    if (values.size() > 1) {
      error(rc, 400, name + ": given " + values.size() + " times");
      return null;
    }
    String v = values.get(0);
    long n;
    if (!v.matches("0|[1-9][0-9]{0,17}")) {
      error(rc, 400, name + ": '" + clip(v) + "' is not a non-negative decimal integer");
      return null;
    }
    n = Long.parseLong(v);
    if (n < min || n > max) {
      error(rc, 400, name + ": " + n + " is not within " + min + ".." + max);
      return null;
    }
    return n;
  }

  private static String clip(String s) {
    String t = s.length() <= 40 ? s : s.substring(0, 40) + "…";
    StringBuilder b = new StringBuilder();
    t.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
    return b.toString();
  }

  private static void error(RoutingContext rc, int status, String message) {
    if (rc.response().closed() || rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(Buffer.buffer(ApiJson.error(message).toString().getBytes(StandardCharsets.UTF_8)));
  }
}
