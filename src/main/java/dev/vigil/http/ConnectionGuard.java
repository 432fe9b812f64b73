package dev.vigil.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link ServerLimits} on one HTTP server: counts open connections and closes those beyond
 * the cap at once, and closes a connection that has not delivered a whole request head within the
 * request timeout of opening or of its previous response. Logs one WARN per 10 s at most while it
 * refuses. Thread-safe: the server may run on several contexts.
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long WARN_EVERY_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final ServerLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private final Map<HttpConnection, long[]> timers = new ConcurrentHashMap<>();

  ConnectionGuard(Vertx vertx, ServerLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
  }

  /** Connections open now (those refused are not counted). */
  public int open() {
    return open.get();
  }

  /** Connections closed at once because the cap was reached, since start. */
  public long refused() {
    return refused.sum();
  }

  /** Connections closed because no whole request head arrived in time, since start. */
  public long timedOut() {
    return timedOut.sum();
  }

  void onConnection(HttpConnection conn) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused.increment();
      conn.close();
      long last = lastWarn.get();
      long now = System.nanoTime();
      if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
        LOG.warn("connection cap of {} reached: closing further connections ({} refused since start)",
            limits.maxConnections(), refused.sum());
      }
      return;
    }
    long[] timer = {-1};
    timers.put(conn, timer);
    conn.closeHandler(v -> {
      open.decrementAndGet();
      cancel(timers.remove(conn));
    });
    arm(conn, timer);
  }

  void onRequest(HttpServerRequest req, Handler<HttpServerRequest> handler) {
    HttpConnection conn = req.connection();
    long[] timer = conn == null ? null : timers.get(conn);
    if (timer != null) {
      cancel(timer);
      req.response().endHandler(v -> {
        if (timers.get(conn) == timer) {
          arm(conn, timer);
        }
      });
    }
    handler.handle(req);
  }

  private void arm(HttpConnection conn, long[] timer) {
    timer[0] = vertx.setTimer(Math.max(1, limits.requestTimeout().toMillis()), id -> {
      if (timer[0] == id) {
        timer[0] = -1;
        timedOut.increment();
        conn.close();
      }
    });
  }

  private void cancel(long[] timer) {
    if (timer != null && timer[0] >= 0) {
      vertx.cancelTimer(timer[0]);
      timer[0] = -1;
    }
  }
}
