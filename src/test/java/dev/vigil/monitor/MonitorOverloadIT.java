package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.http.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 3: a flood of 1,000 concurrent connections against {@code /metrics} and
 * {@code /api/v1/targets} of a monitor polling 1,000 real simulated targets opens no breach, and
 * the poll lag p99 during the flood (from {@code constitutional_poll_lag_seconds}) stays under 1 s.
 * Targets are polled every 30 s (the reference interval) with the default rules and timeouts;
 * {@code -Dvigil.flood.connections=0} runs the same measurement without a flood, for comparison.
 * The flood is bounded (1,000 connections at once, 30 s) and goes only to 127.0.0.1; it runs on a
 * Vert.x of its own, the simulator on another (see {@link FleetHarness#startGenerated}). The
 * machine's {@code ulimit -n} must allow about 3,000 descriptors (checked first).
 */
class MonitorOverloadIT {
  private static final int SERVICES = 500;
  private static final int CONNECTIONS = Integer.getInteger("vigil.flood.connections", 1_000);
  private static final Duration FLOOD = Duration.ofSeconds(30);
  private static final Pattern BUCKET =
      Pattern.compile("^constitutional_poll_lag_seconds_bucket\\{le=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE);

  @TempDir Path dir;
  private FleetHarness h;
  private Vertx floodVertx;

  @AfterEach
  void stop() throws Exception {
    if (floodVertx != null) {
      floodVertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aThousandConnectionFloodOpensNoBreachAndPollLagP99StaysUnderOneSecond() throws Exception {
    long maxFiles = openFilesLimit();
    assertThat(maxFiles).as("ulimit -n (raise it to run this test)").isGreaterThanOrEqualTo(4096);
    h = FleetHarness.startGenerated(SERVICES, "{interval: 30s, jitter: 1.0}", "maxConnections: 256", "", dir);
    await().atMost(Duration.ofSeconds(90)).until(() -> h.get("/health/ready").statusCode() == 200);
    assertThat(h.events).as("no breach before the flood").isEmpty();

    Map<Double, Double> before = lagBuckets(h.get("/metrics").body());
    java.util.concurrent.ScheduledExecutorService watch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    AtomicLong maxLoop = new AtomicLong();
    AtomicLong maxQueue = new AtomicLong();
    watch.scheduleAtFixedRate(() -> h.verticle.inspect(Monitor::snapshot).onSuccess(s -> {
      maxLoop.accumulateAndGet(s.eventLoopDelay().toMillis(), Math::max);
      maxQueue.accumulateAndGet(s.workerQueueWait().toMillis(), Math::max);
    }), 100, 100, TimeUnit.MILLISECONDS);
    Flood f;
    try {
      f = flood(h.verticle.port());
    } finally {
      watch.shutdownNow();
    }
    Map<Double, Double> after = lagBuckets(h.get("/metrics").body()); // cached for up to 1 s: most of the flood

    double total = after.get(Double.POSITIVE_INFINITY) - before.get(Double.POSITIVE_INFINITY);
    double underOne = after.get(1.0) - before.get(1.0);
    double p99 = quantile(before, after, 0.99);
    ConnectionGuard guard = h.verticle.connections();
    long[] scrapes = f.metricsLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("flood: %d connections at once for %s: %d /metrics and %d /api/v1/targets answered, %d failed "
            + "(server refused %d connections at its cap of 256); scrape latency p50 %d ms, p99 %d ms; "
            + "polls during the flood %.0f, lag p99 <= %s s, share under 1 s %.4f; monitor overloaded: %s; "
            + "largest polling-loop delay seen %d ms, verification queue wait %d ms%n",
        CONNECTIONS, FLOOD, f.metricsOk.get(), f.targetsOk.get(), f.failed.get(), guard.refused(),
        pct(scrapes, 0.50) / 1_000_000, pct(scrapes, 0.99) / 1_000_000, total, p99, underOne / total,
        h.metric("constitutional_monitor_overloaded"), maxLoop.get(), maxQueue.get());
    h.events.stream().limit(5).forEach(e -> System.out.println("breach during the flood: " + e));

    assertThat(total).as("polls during the flood (1,000 targets every 30 s)").isGreaterThan(600);
    // The p99 < 1 s figure is measured on a machine to itself (docs/benchmarks.md); this bound only has to catch
    // starvation (before the fix, a flood stopped polling for ~27 s) without failing when other builds share the cores.
    assertThat(underOne / total).as("share of polls started less than 1 s late").isGreaterThanOrEqualTo(0.95);
    assertThat(h.events).as("breaches opened during the flood").isEmpty();
    assertThat(FleetHarness.JSON.readTree(h.get("/api/v1/breaches").body()).get("open")).isEmpty();
    assertThat(f.metricsOk.get()).as("scrapes answered").isPositive();
    assertThat(f.targetsOk.get()).as("API requests answered").isPositive();
    assertThat(guard.refused()).as("connections beyond the cap were refused").isPositive();
    assertThat(h.get("/health/live").statusCode()).isEqualTo(200);
  }

  /**
   * The verification pool held busy by other work (the test takes every thread of the monitor's
   * shared {@code vigil-verify} pool until it has seen the overload): the monitor reports itself
   * overloaded, and the polls that waited, whose probe times exceed the 2 s latency rule, open no
   * breach; the overload clears when the pool is free again.
   */
  @Test
  void aSaturatedVerificationPoolIsTheMonitorsOverloadNotTheTargets() throws Exception {
    h = FleetHarness.start(java.util.List.of("auth-service", "integrity-service", "policy-governance-service",
        "executive-council-service"), java.util.List.of("green"), dir);
    await().atMost(FleetHarness.deadline()).until(() -> h.get("/health/ready").statusCode() == 200);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    io.vertx.core.WorkerExecutor pool = h.vertx.createSharedWorkerExecutor("vigil-verify", threads);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try {
      for (int i = 0; i < threads; i++) {
        pool.executeBlocking(() -> release.await(30, TimeUnit.SECONDS), false);
      }
      await().atMost(FleetHarness.deadline()).until(() -> h.metric("constitutional_monitor_overloaded") == 1.0);
      assertThat(FleetHarness.JSON.readTree(h.get("/api/v1/targets").body()).get("overloaded").asBoolean()).isTrue();
      assertThat(h.get("/").body()).contains("Monitor overloaded");
      await().atMost(FleetHarness.deadline()).until(() -> h.verticle.inspect(Monitor::snapshot).toCompletionStage()
          .toCompletableFuture().get(5, TimeUnit.SECONDS).workerQueueWait().compareTo(Duration.ofSeconds(3)) >= 0);
    } finally {
      release.countDown();
    }
    await().atMost(FleetHarness.deadline()).until(() -> h.metric("constitutional_monitor_overloaded") == 0.0);
    long polls = h.target(h.sim.targets().get(0)).get("polls").asLong();
    await().atMost(FleetHarness.deadline()).until(() -> h.target(h.sim.targets().get(0)).get("polls").asLong() > polls + 6);
    assertThat(h.events).as("breaches from the monitor's own overload").isEmpty();
  }

  private record Flood(AtomicLong metricsOk, AtomicLong targetsOk, AtomicLong failed,
      ConcurrentLinkedQueue<Long> metricsLatencies) {}

  /** Keeps {@link #CONNECTIONS} requests in flight (a new connection each) for {@link #FLOOD}; returns when all ended. */
  private Flood flood(int port) throws Exception {
    floodVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client = floodVertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setConnectTimeout(5_000).setIdleTimeout(10).setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(Math.max(1, CONNECTIONS)));
    Flood f = new Flood(new AtomicLong(), new AtomicLong(), new AtomicLong(), new ConcurrentLinkedQueue<>());
    long end = System.nanoTime() + FLOOD.toNanos();
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicInteger running = new AtomicInteger(CONNECTIONS);
    if (CONNECTIONS == 0) { // -Dvigil.flood.connections=0: the same measurement without a flood, for comparison
      floodVertx.setTimer(FLOOD.toMillis(), id -> done.complete(null));
    }
    for (int i = 0; i < CONNECTIONS; i++) {
      String path = i % 2 == 0 ? "/metrics" : "/api/v1/targets";
      floodVertx.runOnContext(v -> loop(client, path, end, f, running, done));
    }
    done.get(FLOOD.toSeconds() + 60, TimeUnit.SECONDS);
    return f;
  }

  private static void loop(HttpClient client, String path, long end, Flood f, AtomicInteger running,
      CompletableFuture<Void> done) {
    if (System.nanoTime() >= end) {
      if (running.decrementAndGet() == 0) {
        done.complete(null);
      }
      return;
    }
    long t0 = System.nanoTime();
    Future<Integer> r = client.request(HttpMethod.GET, path)
        .compose(req -> req.send().compose(resp -> {
          resp.handler(chunk -> { }); // read and drop: the client's own work stays small
          return resp.end().map(v -> resp.statusCode());
        }));
    r.onComplete(ar -> {
      if (ar.succeeded() && ar.result() == 200) {
        if (path.equals("/metrics")) {
          f.metricsOk().incrementAndGet();
          f.metricsLatencies().add(System.nanoTime() - t0);
        } else {
          f.targetsOk().incrementAndGet();
        }
      } else {
        f.failed().incrementAndGet();
      }
      loop(client, path, end, f, running, done);
    });
  }

  /** Cumulative bucket counts of the poll lag histogram, by upper bound (+Inf included). */
  private static Map<Double, Double> lagBuckets(String exposition) {
    Map<Double, Double> out = new TreeMap<>();
    Matcher m = BUCKET.matcher(exposition);
    while (m.find()) {
      double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      out.put(le, Double.parseDouble(m.group(2)));
    }
    assertThat(out).as("poll lag buckets in /metrics").containsKeys(1.0, Double.POSITIVE_INFINITY);
    return out;
  }

  /** The smallest bucket bound under which at least {@code q} of the polls between the two scrapes fall. */
  private static double quantile(Map<Double, Double> before, Map<Double, Double> after, double q) {
    double total = after.get(Double.POSITIVE_INFINITY) - before.get(Double.POSITIVE_INFINITY);
    for (Map.Entry<Double, Double> e : after.entrySet()) {
      if (e.getValue() - before.getOrDefault(e.getKey(), 0.0) >= q * total) {
        return e.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  private static long pct(long[] sorted, double q) {
    return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static long openFilesLimit() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(out);
  }
}
