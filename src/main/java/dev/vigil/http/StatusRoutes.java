package dev.vigil.http;

import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The status page's routes on the monitor's server: {@code /} and its JSON parts, the per-target
 * pages {@code /targets/{service}/{environment}} and theirs, and the badges {@code
 * /api/v1/badges/{service}/{environment}.svg} and {@code …/score.svg}. The fleet page is a shared
 * rendering; a target page renders on the server's render pool from the shared snapshot; a badge
 * is a few hundred bytes, rendered on the event loop. Confined to the server's context.
 */
final class StatusRoutes {
  static final int REFRESH_SECONDS = 5;
  private static final String HTML = "text/html; charset=utf-8";
  private static final String JSON = "application/json; charset=utf-8";
  private static final String SEGMENT = "([^/]+)";

  /** Answers a request from a shared rendering, with a content type (the server's own {@code serve}). */
  interface Serve {
    void serve(RoutingContext rc, SharedRender<Buffer> page, String contentType);
  }

  private final PollHistory history;
  /** The rollback controller's work as the monitor knows it: see {@link #traffic}. */
  private TrafficView traffic = TrafficView.none();
  private final Supplier<Future<MonitorSnapshot>> snapshot;
  private final Function<Callable<Buffer>, Future<Buffer>> render;
  private final Serve serve;
  /** A group member's view of its group, or null: see {@link #group}. */
  private Supplier<GroupView> group = () -> null;

  /**
   * @param snapshot the server's shared snapshot
   * @param render runs a rendering on the server's render pool
   */
  StatusRoutes(PollHistory history, Supplier<Future<MonitorSnapshot>> snapshot,
      Function<Callable<Buffer>, Future<Buffer>> render, Serve serve) {
    this.history = history;
    this.snapshot = snapshot;
    this.render = render;
    this.serve = serve;
  }

  /** With a group member's view: the status page gets its group section, and {@code /fleet} is served. */
  StatusRoutes group(Supplier<GroupView> view) {
    this.group = view;
    return this;
  }

  /** With the rollback controller's events: traffic weights, rollouts and rollbacks on the pages. */
  StatusRoutes traffic(TrafficView view) {
    this.traffic = view;
    return this;
  }

  /** Adds the routes; {@code pages} makes a shared rendering of the snapshot. */
  void install(Router router, Function<Function<MonitorSnapshot, String>, SharedRender<Buffer>> pages) {
    SharedRender<Buffer> fleet = pages.apply(s -> StatusPage.render(s, history, traffic.snapshot(), REFRESH_SECONDS,
        group.get()));
    SharedRender<Buffer> parts = pages.apply(s -> StatusPage.parts(s, history, traffic.snapshot(), group.get()).toString());
    get(router, "/", false, rc -> {
      html(rc);
      serve.serve(rc, fleet, HTML);
    });
    get(router, StatusPage.PARTS_PATH, false, rc -> serve.serve(rc, parts, JSON));
    groupPages(router, pages);
    get(router, "/targets/" + SEGMENT + "/" + SEGMENT, true, rc -> target(rc,
        (s, id) -> TargetPage.render(s, history, traffic.snapshot(), id, REFRESH_SECONDS), HTML));
    get(router, StatusPage.PARTS_PATH + "/targets/" + SEGMENT + "/" + SEGMENT, true, rc -> target(rc, (s, id) -> {
      var o = TargetPage.parts(s, history, traffic.snapshot(), id);
      return o == null ? null : o.toString();
    }, JSON));
    get(router, "/api/v1/badges/" + SEGMENT + "/" + SEGMENT + "\\.svg", true, rc -> badge(rc, Badge::verdict));
    get(router, "/api/v1/badges/" + SEGMENT + "/" + SEGMENT + "/score\\.svg", true, rc -> badge(rc, Badge::score));
  }

  /** {@code /fleet} and its JSON part: 404 on a monitor that is not a group member. */
  private void groupPages(Router router, Function<Function<MonitorSnapshot, String>, SharedRender<Buffer>> pages) {
    SharedRender<Buffer> page = pages.apply(s -> {
      GroupView g = group.get();
      return g == null ? "" : FleetPage.render(g, REFRESH_SECONDS);
    });
    SharedRender<Buffer> part = pages.apply(s -> {
      GroupView g = group.get();
      return g == null ? "" : FleetPage.parts(g).toString();
    });
    get(router, FleetPage.PATH, false, rc -> {
      if (group.get() == null) {
        rc.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(FleetJson.noGroup().toString());
        return;
      }
      html(rc);
      serve.serve(rc, page, HTML);
    });
    get(router, FleetPage.PARTS_PATH, false, rc -> {
      if (group.get() == null) {
        rc.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(FleetJson.noGroup().toString());
        return;
      }
      serve.serve(rc, part, JSON);
    });
  }

  private static void get(Router router, String path, boolean regex, io.vertx.core.Handler<RoutingContext> h) {
    for (HttpMethod m : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
      (regex ? router.routeWithRegex(m, path) : router.route(m, path)).handler(h);
    }
  }

  private static TargetId id(RoutingContext rc) {
    return new TargetId(rc.pathParam("param0"), rc.pathParam("param1"));
  }

  private void target(RoutingContext rc, BiFunction<MonitorSnapshot, TargetId, String> page, String type) {
    TargetId id = id(rc);
    snapshot.get().compose(s -> render.apply(() -> {
      String body = page.apply(s, id);
      return body == null ? null : Buffer.buffer(body.getBytes(StandardCharsets.UTF_8));
    })).onComplete(r -> {
      if (rc.response().closed()) {
        return;
      }
      if (r.failed()) {
        rc.response().setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .end(ApiJson.error("rendering failed: " + r.cause()).toString());
        return;
      }
      if (type.equals(HTML)) {
        html(rc);
      }
      if (r.result() == null) {
        rc.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .end(ApiJson.error("no such target: " + id.service() + "/" + id.environment()).toString());
      } else {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, type).end(r.result());
      }
    });
  }

  private void badge(RoutingContext rc, Function<TargetStatus, String> draw) {
    TargetId id = id(rc);
    snapshot.get().onComplete(r -> {
      if (rc.response().closed()) {
        return;
      }
      TargetStatus t = r.succeeded() ? TargetPage.find(r.result(), id) : null;
      String svg = t == null ? Badge.unknown(id.service() + "/" + id.environment()) : draw.apply(t);
      String etag = Badge.etag(svg);
      boolean unchanged = t != null && etag.equals(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH));
      rc.response().setStatusCode(t == null ? (r.succeeded() ? 404 : 500) : unchanged ? 304 : 200)
          .putHeader(HttpHeaders.CONTENT_TYPE, Badge.CONTENT_TYPE)
          .putHeader(HttpHeaders.CACHE_CONTROL, Badge.CACHE_CONTROL)
          .putHeader(HttpHeaders.ETAG, etag)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      if (unchanged) {
        rc.response().end();
      } else {
        rc.response().end(svg);
      }
    });
  }

  private static void html(RoutingContext rc) {
    rc.response().putHeader("Content-Security-Policy", PageAssets.CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
  }
}
