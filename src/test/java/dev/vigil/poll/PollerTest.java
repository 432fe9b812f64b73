package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.config.KeyConfig;
import dev.vigil.config.PolicyConfig;
import dev.vigil.config.TargetConfig;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One poll end to end against a real signing server: nonces, retries, verification, legacy mode. */
class PollerTest {
  private static final SigningKey KEY = Keys.generate(Scheme.ED25519, new SecureRandom());
  private Vertx vertx;
  private HttpServer server;
  private Poller poller;
  private final List<String> nonces = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private volatile String hash = Expectation.DEFAULT_HASH;
  private volatile long sequence = 10;
  /** While set, /attestation requests wait on it: a poll stays in flight. */
  private volatile java.util.concurrent.CountDownLatch hang;

  @org.junit.jupiter.api.BeforeAll
  static void warmUp() throws Exception {
    TestVertx.warmUpHttp();
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = TestVertx.create();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/attestation", this::attest);
    server.createContext("/health/constitutional", ex -> respond(ex, 200, "{\"constitutional_compliance\":\"active\"}"));
    server.createContext("/health", ex -> respond(ex, 200, "{\"status\":\"healthy\",\"constitutional_hash\":\"" + hash + "\"}"));
    server.start();
    poller = new Poller(vertx, new HttpProbe(vertx, 4), vertx.createSharedWorkerExecutor("test-verify", 2), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    java.util.concurrent.CountDownLatch h = hang;
    if (h != null) {
      h.countDown();
    }
    server.stop(0);
    TestVertx.await(vertx.close());
    assertThat(TestVertx.blocked(vertx)).as("event loop blocked").isEmpty();
  }

  private void attest(HttpExchange ex) throws java.io.IOException {
    String q = ex.getRequestURI().getRawQuery();
    String nonce = q.substring(q.indexOf("nonce=") + 6);
    nonces.add(nonce);
    java.util.concurrent.CountDownLatch h = hang;
    if (h != null) {
      try {
        h.await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(ex, 503, "late");
      return;
    }
    if (failFirst.getAndDecrement() > 0) {
      respond(ex, 503, "busy");
      return;
    }
    Statement st = new Statement("integrity-service", null, "integrity-service", "green", hash, "active", nonce,
        Instant.now().truncatedTo(ChronoUnit.SECONDS), "2.0.0", sequence, new Statement.Slo(150.0, 1200.0, 0.001));
    respond(ex, 200, new String(new Signer(KEY).sign(st).toJson(), StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange ex, int status, String body) throws java.io.IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private PollTarget target(TargetConfig.Mode mode, int retries, boolean requireSignature) {
    TargetConfig t = new TargetConfig("integrity-service", "green",
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "/attestation", mode, Duration.ofSeconds(30),
        Duration.ofSeconds(5), retries, List.of(new KeyConfig("test", KEY.trusted())), 1, null);
    PolicyConfig p = new PolicyConfig(Expectation.DEFAULT_HASH, null, requireSignature, Duration.ofSeconds(60));
    return PollTarget.of(t, p, 65_536, Duration.ofMillis(10));
  }

  @Nested
  class Attestation {
    @Test
    void compliantWithAFresh43CharacterNonceEachTime() throws Exception {
      PollResult a = TestVertx.await(poller.poll(target(TargetConfig.Mode.ATTESTATION, 0, true)));
      PollResult b = TestVertx.await(poller.poll(target(TargetConfig.Mode.ATTESTATION, 0, true)));
      assertThat(a.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(b.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(nonces).hasSize(2).allMatch(n -> n.matches("[A-Za-z0-9_-]{43}"));
      assertThat(nonces.get(0)).isNotEqualTo(nonces.get(1));
      assertThat(a.toObservation().slo().requestsPerSecond()).isEqualTo(1200.0);
    }

    @Test
    void transportFailuresAreRetriedWithANewNonce() throws Exception {
      failFirst.set(2);
      PollResult r = TestVertx.await(poller.poll(target(TargetConfig.Mode.ATTESTATION, 2, true)));
      assertThat(r.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(r.attempts()).isEqualTo(3);
      assertThat(nonces).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void retriesEndAtTheLimit() throws Exception {
      failFirst.set(10);
      PollResult r = TestVertx.await(poller.poll(target(TargetConfig.Mode.ATTESTATION, 2, true)));
      assertThat(r.verification().verdict()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.attempts()).isEqualTo(3);
      assertThat(r.responded()).isTrue();
    }

    @Test
    void integrityVerdictsAreNeverRetriedAway() throws Exception {
      hash = "deadbeefdeadbeef";
      PollResult r = TestVertx.await(poller.poll(target(TargetConfig.Mode.ATTESTATION, 3, true)));
      assertThat(r.verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.toObservation().observedHash()).isEqualTo("deadbeefdeadbeef");
    }

    @Test
    void oneStepBackIsAnAttesterRestartNotAVerdict() throws Exception {
      PollTarget t = target(TargetConfig.Mode.ATTESTATION, 2, true); // a transport hiccup is retried
      assertThat(TestVertx.await(poller.poll(t)).attesterRestart()).isFalse();
      sequence = 1;
      PollResult restarted = TestVertx.await(poller.poll(t));
      assertThat(restarted.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(restarted.attesterRestart()).isTrue();
      sequence = 2;
      PollResult next = TestVertx.await(poller.poll(t));
      assertThat(next.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(next.attesterRestart()).isFalse();
    }

    @Test
    void aSecondStepBackWithinTheWindowIsStale() throws Exception {
      PollTarget t = target(TargetConfig.Mode.ATTESTATION, 2, true); // a transport hiccup is retried
      assertThat(TestVertx.await(poller.poll(t)).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      sequence = 5;
      assertThat(TestVertx.await(poller.poll(t)).attesterRestart()).isTrue();
      sequence = 3;
      PollResult second = TestVertx.await(poller.poll(t));
      assertThat(second.verification().verdict()).isEqualTo(Verdict.STALE);
      assertThat(second.verification().detail()).contains("went backwards");
      assertThat(second.attesterRestart()).isFalse();
    }
  }

  @Nested
  class Legacy {
    @Test
    void unsignedWhenThePolicyRequiresSignatures() throws Exception {
      PollResult r = TestVertx.await(poller.poll(target(TargetConfig.Mode.LEGACY_HEALTH, 0, true)));
      assertThat(r.verification().verdict()).isEqualTo(Verdict.UNSIGNED);
      assertThat(r.verification().signed()).isFalse();
    }

    @Test
    void compliantButUnsignedWhenAllowed() throws Exception {
      PollResult r = TestVertx.await(poller.poll(target(TargetConfig.Mode.LEGACY_HEALTH, 0, false)));
      assertThat(r.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(r.verification().signed()).isFalse();
    }

    @Test
    void hashMismatchOnTheLegacyEndpoint() throws Exception {
      hash = "deadbeefdeadbeef";
      PollResult r = TestVertx.await(poller.poll(target(TargetConfig.Mode.LEGACY_HEALTH, 0, false)));
      assertThat(r.verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
    }
  }

  /** {@link Poller#abandon}: what a stopping monitor does to the polls its shutdown would cut off. */
  @Nested
  class Abandon {
    <T> io.vertx.core.Future<T> on(io.vertx.core.Context ctx, java.util.function.Supplier<io.vertx.core.Future<T>> call) {
      io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
      ctx.runOnContext(v -> call.get().onComplete(p));
      return p.future();
    }

    @Test
    void endsThePollsInFlightAtOnceUnloggedAndEveryLaterOneWithoutARequest() throws Exception {
      hang = new java.util.concurrent.CountDownLatch(1);
      io.vertx.core.Context ctx = vertx.getOrCreateContext();
      io.vertx.core.Future<PollResult> inFlight = on(ctx, () -> poller.poll(target(TargetConfig.Mode.ATTESTATION, 3, true)));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> nonces.size() == 1);
      try (dev.vigil.testing.LogCapture log = dev.vigil.testing.LogCapture.begin()) {
        int cut = TestVertx.await(on(ctx, () -> io.vertx.core.Future.succeededFuture(poller.abandon())));
        assertThat(cut).isEqualTo(1);
        assertThat(inFlight.isComplete()).as("ended by abandon(), not by the server").isTrue();
        assertThat(inFlight.cause()).isInstanceOf(Poller.Abandoned.class);

        io.vertx.core.Future<PollResult> later = on(ctx, () -> poller.poll(target(TargetConfig.Mode.ATTESTATION, 3, true)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestVertx.await(later))
            .hasCauseInstanceOf(Poller.Abandoned.class);
        assertThat(nonces).as("no request after abandon()").hasSize(1);
        assertThat(TestVertx.await(on(ctx, () -> io.vertx.core.Future.succeededFuture(poller.abandon())))).isZero();
        assertThat(log.lines("dev.vigil", l -> !l.is("DEBUG"))).as("an abandoned poll is not a verdict").isEmpty();
      }
    }

    @Test
    void ofTargetsNoLongerPolledEndsOnlyTheirsAndLaterPollsRun() throws Exception {
      hang = new java.util.concurrent.CountDownLatch(1);
      io.vertx.core.Context ctx = vertx.getOrCreateContext();
      PollTarget t = target(TargetConfig.Mode.ATTESTATION, 3, true);
      io.vertx.core.Future<PollResult> inFlight = on(ctx, () -> poller.poll(t));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> nonces.size() == 1);
      dev.vigil.score.TargetId other = new dev.vigil.score.TargetId("other-service", "green");
      assertThat(TestVertx.await(on(ctx, () -> io.vertx.core.Future.succeededFuture(poller.abandon(List.of(other))))))
          .isZero();
      assertThat(inFlight.isComplete()).isFalse();
      TestVertx.await(on(ctx, () -> {
        poller.retain(java.util.Set.of(other));
        return io.vertx.core.Future.succeededFuture();
      }));
      assertThat(inFlight.isComplete()).as("ended by retain(), not by the server").isTrue();
      assertThat(inFlight.cause()).isInstanceOf(Poller.Abandoned.class);

      java.util.concurrent.CountDownLatch h = hang;
      hang = null;
      h.countDown();
      PollResult next = TestVertx.await(on(ctx, () -> poller.poll(t)));
      assertThat(next.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }
  }
}
