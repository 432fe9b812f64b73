package dev.vigil.poll;

import dev.vigil.attest.Expectation;
import dev.vigil.attest.LegacyHealth;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.config.TargetConfig;
import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Polls one target once: fetch with a fresh nonce (a new one for each retry), verify on a worker
 * pool (never on the event loop), retry with exponential backoff only for transport verdicts
 * ({@code unreachable}, {@code timeout}, 5xx {@code http_error}) inside the same poll. Integrity
 * verdicts are recorded at once and never retried away. Tracks each target's {@code sequence}
 * baseline ({@link SequenceBaseline}): one step backwards is an attester restart, reported in the
 * result; a second within the scoring window is {@code stale}.
 *
 * <p>{@link #abandon} (a monitor stopping) ends every poll in flight at once with {@link Abandoned}
 * and every later one too: a poll its owner's shutdown cuts off (the HTTP client closing under it)
 * is not a verdict, so it is neither logged nor retried, and no result of it is ever delivered.
 *
 * <p>Confined to one Vert.x context: call {@link #poll} from it; results complete on it.
 */
public final class Poller {
  private final Vertx vertx;
  private final HttpProbe probe;
  private final WorkerExecutor verifyPool;
  private final Clock clock;
  private final Supplier<String> nonces;
  private final Map<TargetId, SequenceBaseline> sequences = new HashMap<>();
  private final VerdictLog verdictLog = new VerdictLog();
  private volatile Duration restartWindow = DEFAULT_RESTART_WINDOW;
  /** The polls not ended yet and their targets, so that {@link #abandon} can end them. */
  private final Map<Promise<PollResult>, TargetId> inFlight = new java.util.LinkedHashMap<>();
  private boolean abandoned;

  /** How a poll ends that {@link #abandon} cut off: it has no verdict. No stack trace (it is not an error). */
  public static final class Abandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abandoned() {
      super("poll abandoned: the poller was stopped", null, false, false);
    }
  }

  /** The scoring window's default: a second attester restart within it is {@code stale}. */
  public static final Duration DEFAULT_RESTART_WINDOW = Duration.ofSeconds(180);

  public Poller(Vertx vertx, HttpProbe probe, WorkerExecutor verifyPool, Clock clock) {
    this(vertx, probe, verifyPool, clock, Nonce::fresh);
  }

  /** A poller sending the nonces {@code nonces} gives ({@code vigil verify --url --nonce}). */
  public Poller(Vertx vertx, HttpProbe probe, WorkerExecutor verifyPool, Clock clock, Supplier<String> nonces) {
    this.vertx = vertx;
    this.probe = probe;
    this.verifyPool = verifyPool;
    this.clock = clock;
    this.nonces = nonces;
  }

  /** How long after an attester restart a second step back is {@code stale}: the scoring window. */
  public void restartWindow(Duration window) {
    this.restartWindow = window;
  }

  public Future<PollResult> poll(PollTarget target) {
    return poll(target, null);
  }

  /**
   * As {@link #poll(PollTarget)}; with tracing on and a recorded {@code span} (the poll's), each
   * attempt's fetch and verification are its children {@code vigil.probe} and {@code vigil.verify}.
   */
  public Future<PollResult> poll(PollTarget target, io.opentelemetry.api.trace.Span span) {
    if (abandoned) {
      return Future.failedFuture(new Abandoned());
    }
    long start = System.nanoTime();
    Promise<PollResult> result = Promise.promise();
    inFlight.put(result, target.id());
    attempt(target, 1, span).onComplete(r -> {
      if (inFlight.remove(result) == null) {
        return;
      }
      if (r.failed()) {
        result.fail(r.cause());
        return;
      }
      Attempt a = r.result();
      verdictLog.record(target.id(), a.verification);
      result.complete(new PollResult(target.id(), a.verification, a.responded, Duration.ofNanos(System.nanoTime() - start),
          clock.instant(), a.attempts, a.attesterRestart, a.nonce, a.envelope));
    });
    return result.future();
  }

  /**
   * Ends every poll in flight now with {@link Abandoned} (their handlers run before this returns),
   * and every later poll at once the same way; whatever their requests and verifications still
   * yield is dropped. Idempotent.
   *
   * @return the polls that were in flight
   */
  public int abandon() {
    abandoned = true;
    return abandonWhere(id -> true);
  }

  /**
   * Ends the polls in flight of {@code targets} now with {@link Abandoned}, as {@link #abandon()}
   * does, and only those (targets that move to another monitor); later polls run as usual.
   *
   * @return the polls that were in flight
   */
  public int abandon(java.util.Collection<TargetId> targets) {
    java.util.Set<TargetId> which = java.util.Set.copyOf(targets);
    return abandonWhere(which::contains);
  }

  private int abandonWhere(java.util.function.Predicate<TargetId> which) {
    List<Promise<PollResult>> cut = new java.util.ArrayList<>();
    inFlight.entrySet().removeIf(e -> which.test(e.getValue()) && cut.add(e.getKey()));
    cut.forEach(p -> p.tryFail(new Abandoned()));
    return cut.size();
  }

  /** The {@code sequence} baseline of {@code id} (the highest compliant sequence), null when none; for durable state. */
  public Long sequence(TargetId id) {
    SequenceBaseline b = sequences.get(id);
    return b == null ? null : b.last();
  }

  /** Restores the {@code sequence} baseline of {@code id} saved by an earlier run (durable state). */
  public void restoreSequence(TargetId id, long sequence) {
    sequences.computeIfAbsent(id, k -> new SequenceBaseline()).restore(sequence);
  }

  /**
   * Forgets per-target state of targets no longer polled and abandons their polls in flight (see
   * {@link #abandon(java.util.Collection)}): a result of a target no longer polled is no verdict.
   */
  public void retain(java.util.Set<TargetId> targets) {
    sequences.keySet().retainAll(targets);
    verdictLog.retain(targets);
    abandonWhere(id -> !targets.contains(id));
  }

  private record Attempt(Verification verification, boolean responded, int status, int attempts,
      boolean attesterRestart, String nonce, byte[] envelope) {
    Attempt(Verification verification, boolean responded, int status, int attempts) {
      this(verification, responded, status, attempts, false, null, null);
    }

    Attempt numbered(int n) {
      return new Attempt(verification, responded, status, n, attesterRestart, nonce, envelope);
    }

    Attempt withNonce(String n) {
      return new Attempt(verification, responded, status, attempts, attesterRestart, n, envelope);
    }
  }

  private Future<Attempt> attempt(PollTarget target, int n, io.opentelemetry.api.trace.Span span) {
    return once(target, span).compose(a -> {
      if (abandoned || !retryable(a) || n > target.config().retries()) {
        return Future.succeededFuture(a.numbered(n));
      }
      long backoff = target.retryBackoff().toMillis() << Math.min(n - 1, 10);
      Promise<Attempt> next = Promise.promise();
      vertx.setTimer(Math.max(1, backoff), id -> attempt(target, n + 1, span).onComplete(next));
      return next.future();
    });
  }

  private static boolean retryable(Attempt a) {
    Verdict v = a.verification.verdict();
    return v == Verdict.UNREACHABLE || v == Verdict.TIMEOUT
        || v == Verdict.HTTP_ERROR && a.status >= 500;
  }

  private Future<Attempt> once(PollTarget target, io.opentelemetry.api.trace.Span span) {
    TargetConfig cfg = target.config();
    dev.vigil.tracing.Tracing tracing = span == null || !span.getSpanContext().isValid()
        ? dev.vigil.tracing.Tracing.off() : dev.vigil.tracing.Tracing.current();
    if (cfg.mode() == TargetConfig.Mode.LEGACY_HEALTH) {
      return legacy(target);
    }
    String nonce = nonces.get();
    String path = cfg.attestationPath() + (cfg.attestationPath().contains("?") ? "&" : "?") + "nonce="
        + URLEncoder.encode(nonce, StandardCharsets.UTF_8);
    io.opentelemetry.api.trace.Span probeSpan = tracing.start("vigil.probe", span,
        io.opentelemetry.api.trace.SpanKind.CLIENT);
    return probe.get(cfg.url(), target.requestUri(path), cfg.tls(), cfg.timeout(), target.maxResponseBytes()).compose(f -> {
      probeSpan.setAttribute("http.response.status_code", f.status());
      if (!f.succeeded()) {
        probeSpan.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, transport(f).verdict().label());
        probeSpan.end();
        return Future.succeededFuture(new Attempt(transport(f), f.responded(), f.status(), 1).withNonce(nonce));
      }
      probeSpan.end();
      SequenceBaseline baseline = sequences.computeIfAbsent(target.id(), id -> new SequenceBaseline());
      Expectation e = expectation(target, nonce, baseline.enforced(clock.instant(), restartWindow));
      io.opentelemetry.api.trace.Span verifySpan = tracing.start("vigil.verify", span,
          io.opentelemetry.api.trace.SpanKind.INTERNAL);
      return verifyPool.executeBlocking(() -> target.verifier().verify(f.body(), e), false)
          .map(v -> {
            verifySpan.setAttribute("vigil.verdict", v.verdict().label());
            verifySpan.end();
            // an abandoned poll's verification moves no baseline: durable state holds judged polls only
            boolean restart = !abandoned && baseline.observe(v, clock.instant());
            return new Attempt(v, true, 200, 1, restart, nonce,
                v.verdict() == Verdict.MALFORMED_ENVELOPE ? null : f.body());
          });
    });
  }

  private Expectation expectation(PollTarget t, String nonce, Long sequenceBaseline) {
    return new Expectation(t.config().service(), t.config().environment(), nonce, t.policy().expectedHash(),
        t.policy().pinnedDigest(), clock.instant(), t.policy().maxClockSkew(), sequenceBaseline,
        t.config().threshold());
  }

  private Future<Attempt> legacy(PollTarget target) {
    TargetConfig cfg = target.config();
    Future<FetchResult> health = probe.get(cfg.url(), target.requestUri("/health"), cfg.tls(), cfg.timeout(), target.maxResponseBytes());
    Future<FetchResult> constitutional =
        probe.get(cfg.url(), target.requestUri("/health/constitutional"), cfg.tls(), cfg.timeout(), target.maxResponseBytes());
    return Future.all(health, constitutional).map(all -> {
      for (FetchResult f : List.of(health.result(), constitutional.result())) {
        if (!f.succeeded()) {
          return new Attempt(transport(f), f.responded(), f.status(), 1);
        }
      }
      return new Attempt(LegacyHealth.evaluate(health.result().body(), constitutional.result().body(),
          target.policy().expectedHash(), target.policy().requireSignature()), true, 200, 1);
    });
  }

  private static Verification transport(FetchResult f) {
    return new Verification(f.failure(), f.detail(), false, List.of(), null);
  }
}
