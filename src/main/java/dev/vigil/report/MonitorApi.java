package dev.vigil.report;

import dev.vigil.poll.FetchResult;
import dev.vigil.poll.HttpProbe;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of evidence-v1 section 4 on a monitor's API: {@code GET
 * /api/v1/evidence/checkpoint} and {@code GET /api/v1/evidence/entries?start=I&end=J} (JSON lines,
 * at most {@value #PAGE} a call, so a log is fetched page by page). Requests go through the one
 * HTTP client, {@link HttpProbe}, on a private Vert.x instance; every failure (unreachable, a status
 * other than 200, a page larger than {@value #MAX_PAGE_BYTES} bytes, an empty page) is an
 * {@link IOException} naming the URL. Blocks the calling thread. Not thread-safe; close it.
 */
public final class MonitorApi implements AutoCloseable {
  /** Entries per call: the endpoint's limit. */
  static final int PAGE = 1000;
  /** Largest body read: 1,000 entries of about 2 KiB leave a wide margin; a longer page is refused, not cut. */
  static final int MAX_PAGE_BYTES = 64 << 20;
  private static final int MAX_CHECKPOINT_BYTES = 1 << 16;

  private final String base;
  private final Duration timeout;
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final HttpProbe probe = new HttpProbe(vertx, 1);

  public MonitorApi(URI base, Duration timeout) {
    String s = base.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.timeout = timeout;
  }

  /** {@code GET /api/v1/evidence/checkpoint}: the monitor's latest signed checkpoint. */
  public byte[] checkpoint() throws IOException {
    return get(URI.create(base + "/api/v1/evidence/checkpoint"), MAX_CHECKPOINT_BYTES);
  }

  /** Entries {@code start..end-1}: fetched {@value #PAGE} at a time, one element per JSON line. */
  public List<byte[]> entries(long start, long end) throws IOException {
    List<byte[]> out = new ArrayList<>((int) Math.min(end - start, 1 << 20));
    long at = start;
    while (at < end) {
      long to = Math.min(end, at + PAGE);
      URI uri = URI.create(base + "/api/v1/evidence/entries?start=" + at + "&end=" + to);
      List<byte[]> page = lines(get(uri, MAX_PAGE_BYTES));
      if (page.isEmpty()) {
        throw new IOException("GET " + uri + ": no entries in the answer");
      }
      for (int i = 0; i < page.size() && at < to; i++, at++) {
        out.add(page.get(i));
      }
    }
    return out;
  }

  static List<byte[]> lines(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i > from && body[i - 1] == '\r' ? i - 1 : i;
        if (end > from) {
          out.add(java.util.Arrays.copyOfRange(body, from, end));
        }
        from = i + 1;
      }
    }
    return out;
  }

  private byte[] get(URI uri, int maxBytes) throws IOException {
    Promise<FetchResult> done = Promise.promise();
    context.runOnContext(v -> probe.get(uri, null, timeout, maxBytes).onComplete(done));
    FetchResult r;
    try {
      r = done.future().toCompletionStage().toCompletableFuture().get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("GET " + uri + ": interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("GET " + uri + ": " + e);
    }
    if (!r.succeeded()) {
      throw new IOException("GET " + uri + ": " + r.failure().label() + ": " + r.detail());
    }
    return r.body();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException ignored) {
      // the answer is read; a slow shutdown does not change it
    }
  }
}
