package dev.vigil.poll;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x for tests: a low maxEventLoopExecuteTime (100 ms, so Vert.x warns early), and every
 * report of a blocked event loop inspected through Vert.x's internal blocked-thread checker. A
 * test fails ({@link #blocked}) when Vigil's own code held an event loop for 500 ms or more; shorter
 * reports, those with no Vigil frame, and one-time JVM warm-up (class loading, static
 * initialisers, call-site linking, Netty building an event loop's DNS resolver on its first connect: a
 * cold JVM on a loaded machine) are only logged by Vert.x.
 */
public final class TestVertx {
  private static final Map<Vertx, List<String>> BLOCKED = new ConcurrentHashMap<>();

  private static final long FAIL_MS = 500;

  private TestVertx() {}

  public static Vertx create() {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    List<String> events = new CopyOnWriteArrayList<>();
    BLOCKED.put(vertx, events);
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(e -> {
      StackTraceElement[] stack = e.thread().getStackTrace();
      boolean ours = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("dev.vigil."));
      boolean warmUp = java.util.Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("<clinit>")
          || f.getMethodName().equals("loadClass") || f.getClassName().equals("java.lang.invoke.MethodHandleNatives")
          || f.getClassName().equals("io.netty.resolver.dns.DnsAddressResolverGroup") && f.getMethodName().equals("newResolver"));
      if (e.duration() >= TimeUnit.MILLISECONDS.toNanos(FAIL_MS) && ours && !warmUp) {
        events.add(describe(e, stack));
      }
    });
    return vertx;
  }

  /**
   * Makes one HTTP request through the probe on a Vert.x that is not watched: the first request of a
   * cold JVM on a loaded machine takes long (class loading, interpreted code, Netty's first buffers),
   * and it is not what a test watches. Call from a {@code @BeforeAll}.
   */
  public static void warmUpHttp() throws Exception {
    Vertx plain = Vertx.vertx();
    try (dev.vigil.testing.RawHttpServer ok = dev.vigil.testing.RawHttpServer.answering(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")) {
      new HttpProbe(plain, 1).get(java.net.URI.create(ok.baseUrl() + "/"), null, java.time.Duration.ofSeconds(10), 1024)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      plain.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Every time Vigil's code held an event loop of {@code vertx} for 500 ms or more. */
  public static List<String> blocked(Vertx vertx) {
    return List.copyOf(BLOCKED.getOrDefault(vertx, List.of()));
  }

  private static String describe(BlockedThreadEvent e, StackTraceElement[] stack) {
    StringBuilder b = new StringBuilder(e.toString());
    for (StackTraceElement f : stack) {
      b.append("\n    at ").append(f);
    }
    return b.toString();
  }

  /** Waits for {@code f} with a deadline, rethrowing its failure. */
  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
