package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.attest.Verdict;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Vert.x probe against real HTTP servers on 127.0.0.1. */
class HttpProbeTest {
  private Vertx vertx;
  private HttpProbe probe;
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @org.junit.jupiter.api.BeforeAll
  static void warmUp() throws Exception {
    TestVertx.warmUpHttp();
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    probe = new HttpProbe(vertx, 4);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ok", ex -> respond(ex, 200, "{\"a\":1}".getBytes()));
    server.createContext("/500", ex -> respond(ex, 500, "boom".getBytes()));
    server.createContext("/redirect", ex -> {
      ex.getResponseHeaders().add("Location", "/ok");
      respond(ex, 302, new byte[0]);
    });
    server.createContext("/big", ex -> respond(ex, 200, new byte[100_000]));
    server.createContext("/chunked", ex -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 20; i++) {
          out.write(new byte[8192]);
        }
      } catch (java.io.IOException closedByClient) {
        // the probe resets the stream once over the cap
      }
    });
    server.createContext("/hang", ex -> {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(ex, 200, "late".getBytes());
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    server.stop(0);
    TestVertx.await(vertx.close());
    assertThat(TestVertx.blocked(vertx)).as("event loop blocked").isEmpty();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body) throws java.io.IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private FetchResult get(String path, Duration timeout) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return TestVertx.await(probe.get(uri, null, timeout, 65_536));
  }

  @Nested
  class Outcomes {
    @Test
    void okBodyIsReturnedWhole() throws Exception {
      FetchResult r = get("/ok", Duration.ofSeconds(5));
      assertThat(r.succeeded()).isTrue();
      assertThat(new String(r.body())).isEqualTo("{\"a\":1}");
    }

    @Test
    void serverErrorIsHttpError() throws Exception {
      FetchResult r = get("/500", Duration.ofSeconds(5));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.responded()).isTrue();
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
      FetchResult r = get("/redirect", Duration.ofSeconds(5));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.detail()).contains("302");
    }

    @Test
    void bodyOverTheCapIsTooLargeNotTruncated() throws Exception {
      assertThat(get("/big", Duration.ofSeconds(5)).failure()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
      assertThat(get("/chunked", Duration.ofSeconds(5)).failure()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
    }

    @Test
    void noAnswerWithinTheDeadlineIsTimeout() throws Exception {
      FetchResult r = get("/hang", Duration.ofMillis(300));
      assertThat(r.failure()).isEqualTo(Verdict.TIMEOUT);
      assertThat(r.responded()).isFalse();
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      FetchResult r = TestVertx.await(probe.get(URI.create("http://127.0.0.1:" + port + "/x"), null, Duration.ofSeconds(2), 1024));
      assertThat(r.failure()).isEqualTo(Verdict.UNREACHABLE);
      assertThat(r.responded()).isFalse();
    }

    @Test
    void afterCloseRequestsEndAtOnceInsteadOfFailingOnAClosedClient() throws Exception {
      HttpProbe closing = new HttpProbe(vertx, 1);
      TestVertx.await(closing.close());
      FetchResult r = TestVertx.await(closing.get(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ok"),
          null, Duration.ofSeconds(1), 1024));
      assertThat(r.failure()).isEqualTo(Verdict.UNREACHABLE);
      assertThat(r.detail()).contains("stopping");
    }

    @Test
    void unknownHostIsUnreachableNeverTampered() throws Exception {
      FetchResult r = TestVertx.await(probe.get(URI.create("http://no-such-host.invalid/x"), null, Duration.ofSeconds(5), 1024));
      assertThat(r.failure()).isIn(Verdict.UNREACHABLE, Verdict.TIMEOUT);
      assertThat(r.failure().isAvailability()).isTrue();
    }
  }

  @Nested
  class MalformedResponses {
    private final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();

    /** Fetches from {@code raw}, capturing what is logged meanwhile (Log4j's console appender follows System.err). */
    private FetchResult fetch(dev.vigil.testing.RawHttpServer raw) throws Exception {
      java.io.PrintStream err = System.err;
      System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
      try (raw) {
        FetchResult r = TestVertx.await(probe.get(URI.create(raw.baseUrl() + "/attestation"), null, Duration.ofSeconds(3), 65_536));
        TestVertx.await(vertx.timer(100));
        return r;
      } finally {
        System.setErr(err);
        err.print(logged.toString(java.nio.charset.StandardCharsets.UTF_8));
      }
    }


    @org.junit.jupiter.api.AfterEach
    void nothingWasLoggedAtWarnOrErrorNorAStackTrace() {
      assertThat(logged.toString(java.nio.charset.StandardCharsets.UTF_8))
          .doesNotContain("[ERROR]").doesNotContain("[WARN]").doesNotContain("\tat ");
    }

    @Test
    void aChunkSizeOverflowIsHttpErrorNamingIt() throws Exception {
      FetchResult r = fetch(dev.vigil.testing.RawHttpServer.answering(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n"));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.detail()).startsWith("malformed HTTP response from 127.0.0.1:").containsIgnoringCase("chunk");
    }

    @Test
    void aHeaderLargerThanTheLimitIsHttpErrorNamingIt() throws Exception {
      FetchResult r = fetch(dev.vigil.testing.RawHttpServer.answering(
          "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(20_000) + "\r\nContent-Length: 2\r\n\r\n{}"));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.detail()).startsWith("malformed HTTP response from 127.0.0.1:").containsIgnoringCase("header");
    }

    @Test
    void endlessInterimResponsesAreHttpErrorNamingThem() throws Exception {
      FetchResult r = fetch(dev.vigil.testing.RawHttpServer.repeating("HTTP/1.1 102 Processing\r\n\r\n"));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.detail()).startsWith("malformed HTTP response from 127.0.0.1:").contains("interim");
    }

    @Test
    void aStatusLineThatIsNotHttpIsHttpError() throws Exception {
      FetchResult r = fetch(dev.vigil.testing.RawHttpServer.answering("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
      assertThat(r.failure()).as(r.detail()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.detail()).startsWith("malformed HTTP response from 127.0.0.1:");
    }
  }

  /**
   * Connection reuse, seen from a real Vert.x server that counts the connections it accepts. The
   * probe has one connection per host, so a poll waits for the previous one's connection to return
   * to the pool rather than racing it with a second connection.
   */
  @Nested
  class KeepAlive {
    private final java.util.Set<io.vertx.core.http.HttpConnection> servedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
    private HttpProbe oneConnection;
    private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
    private io.vertx.core.http.HttpServer counting;

    @BeforeEach
    void startCountingServer() throws Exception {
      oneConnection = new HttpProbe(vertx, 1);
      counting = TestVertx.await(vertx.createHttpServer()
          .connectionHandler(conn -> {
            opened.incrementAndGet();
            conn.closeHandler(v -> closed.incrementAndGet());
          })
          .requestHandler(req -> {
            switch (req.path()) {
              case "/ok" -> req.response().end("{\"a\":1}");
              case "/500" -> req.response().setStatusCode(500).end("boom");
              case "/answers-once" -> {
                if (answered.compareAndSet(false, true)) {
                  req.response().end("{\"a\":1}");
                } else {
                  req.connection().close();
                }
              }
              case "/closes-when-reused" -> {
                if (servedOnce.add(req.connection())) {
                  req.response().end("{\"a\":1}");
                } else {
                  req.connection().close();
                }
              }
              default -> { } // /hang: never answers
            }
          })
          .listen(0, "127.0.0.1"));
    }

    private FetchResult poll(String path, Duration timeout) throws Exception {
      URI uri = URI.create("http://127.0.0.1:" + counting.actualPort() + path);
      return TestVertx.await(oneConnection.get(uri, null, timeout, 65_536));
    }

    @Test
    void aConnectionWhoseResponseEndedCleanlyServesTheNextPolls() throws Exception {
      for (int i = 0; i < 3; i++) {
        assertThat(poll("/ok", Duration.ofSeconds(5)).succeeded()).isTrue();
      }
      assertThat(opened).as("connections accepted for 3 polls").hasValue(1);
      assertThat(closed).hasValue(0);
    }

    @Test
    void aPollPastItsDeadlineClosesItsConnectionAndTheNextPollGetsAFreshOne() throws Exception {
      assertThat(poll("/ok", Duration.ofSeconds(5)).succeeded()).isTrue();
      assertThat(poll("/hang", Duration.ofMillis(300)).failure()).isEqualTo(Verdict.TIMEOUT);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(closed).hasValue(1));
      assertThat(poll("/ok", Duration.ofSeconds(5)).succeeded()).isTrue();
      assertThat(opened).as("the hung connection is not reused").hasValue(2);
    }

    @Test
    void aKeptAliveConnectionTheTargetClosesAsItIsReusedIsRetriedOnceOnAFreshOne() throws Exception {
      assertThat(poll("/closes-when-reused", Duration.ofSeconds(5)).succeeded()).isTrue();
      FetchResult second = poll("/closes-when-reused", Duration.ofSeconds(5));
      assertThat(second.succeeded()).as(second.detail()).isTrue();
      assertThat(opened).hasValue(2);
    }

    @Test
    void aReusedConnectionIsRetriedOnlyOnceAndAFreshOneClosedWithoutAnAnswerIsUnreachable() throws Exception {
      assertThat(poll("/answers-once", Duration.ofSeconds(5)).succeeded()).isTrue();
      FetchResult second = poll("/answers-once", Duration.ofSeconds(5));
      assertThat(second.failure()).as(second.detail()).isEqualTo(Verdict.UNREACHABLE);
      assertThat(second.detail()).contains("closed");
      assertThat(opened).as("the first connection and one retry").hasValue(2);
    }

    @Test
    void aPollThatFailsOnTheAnswerClosesItsConnection() throws Exception {
      assertThat(poll("/500", Duration.ofSeconds(5)).failure()).isEqualTo(Verdict.HTTP_ERROR);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(closed).hasValue(1));
      assertThat(poll("/ok", Duration.ofSeconds(5)).succeeded()).isTrue();
      assertThat(opened).hasValue(2);
    }
  }
}
