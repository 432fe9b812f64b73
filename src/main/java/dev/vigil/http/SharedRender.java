package dev.vigil.http;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One rendering shared by every concurrent caller and reused while it is younger than {@code ttl}
 * and its source's {@code version} has not moved: a burst of requests costs one render per
 * {@code ttl} at most. While a render runs, callers join it; a caller that sees a newer version
 * than the running render's waits for one more render that starts when the running one ends (so
 * renders never overlap). A failed render is not cached. When rendering is slow (a large fleet),
 * the reuse time grows to {@value #COST_FACTOR} times the last render's duration, so renders of an
 * unchanged version take at most about a tenth of one thread's time however many requests come.
 *
 * <p>Confined to one Vert.x context: call {@link #get} there, and let {@code render} complete its
 * future there.
 */
final class SharedRender<T> {
  static final int COST_FACTOR = 10;
  private final Duration ttl;
  private final Clock clock;
  private final LongSupplier version;
  private final Supplier<Future<T>> render;
  private T cached;
  private long cachedVersion;
  private long cachedAt;
  private Future<T> inflight;
  private long inflightVersion;
  private Future<T> queued;
  private long renders;
  private long lastDurationMillis;

  SharedRender(Duration ttl, Clock clock, LongSupplier version, Supplier<Future<T>> render) {
    this.ttl = ttl;
    this.clock = clock;
    this.version = version;
    this.render = render;
  }

  Future<T> get() {
    long v = version.getAsLong();
    long reuseFor = Math.max(ttl.toMillis(), COST_FACTOR * lastDurationMillis);
    if (cached != null && cachedVersion == v && clock.millis() - cachedAt < reuseFor) {
      return Future.succeededFuture(cached);
    }
    if (inflight == null) {
      return start();
    }
    if (inflightVersion == v) {
      return inflight;
    }
    if (queued == null) {
      queued = inflight.transform(ignored -> {
        queued = null;
        return start();
      });
    }
    return queued;
  }

  /** Renders started since creation. */
  long renders() {
    return renders;
  }

  private Future<T> start() {
    long v = version.getAsLong();
    long at = clock.millis();
    renders++;
    Future<T> f;
    try {
      f = render.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    Future<T> mine = f;
    inflight = mine;
    inflightVersion = v;
    mine.onComplete(r -> {
      if (inflight == mine) {
        inflight = null;
      }
      lastDurationMillis = Math.max(0, clock.millis() - at);
      if (r.succeeded()) {
        cached = r.result();
        cachedVersion = v;
        cachedAt = at;
      }
    });
    return mine;
  }
}
