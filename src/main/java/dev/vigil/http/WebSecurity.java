package dev.vigil.http;

import dev.vigil.config.WebConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link WebConfig} to Vigil's HTTP servers (the monitor's and the controller's): TLS options for
 * {@link HttpServerOptions}, a route handler that enforces client certificates and the read credentials, and
 * a watcher that reloads the certificate, key and client CA when their files change (checked every
 * {@code tls.reloadInterval}; a change that does not load is refused with a WARN and the previous
 * certificate kept).
 *
 * <p>The route handler, installed first on a router: {@code /health/live} and {@code /health/ready} are
 * always open (kubelet probes); with a client CA and {@code requireExceptHealth}, every other path answers
 * 401 without a verified client certificate; paths under {@code /-/} are left to their admin token;
 * {@code /metrics} is open unless {@code auth.metrics}; everything else needs the bearer token, a basic
 * user, or the admin token. bcrypt hashes are checked on a one-thread worker pool of their own (never on
 * the event loop), and a verified password is remembered (as a SHA-256) so later requests cost no bcrypt.
 *
 * <p>Thread-safe. {@link #close()} stops the watcher and the worker pool.
 */
public final class WebSecurity {
  private static final Logger LOG = LoggerFactory.getLogger(WebSecurity.class);
  private static final String JSON = "application/json; charset=utf-8";

  private final Vertx vertx;
  private final WebConfig config;
  private final String at;
  private final String adminToken;
  private final Clock clock;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  /** Password checks waiting at most; further basic-auth attempts with an unseen password answer 429. */
  static final int MAX_PENDING_BCRYPT = 32;
  private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder reloads = new LongAdder();
  private volatile TlsMaterial material;
  private volatile byte[] refusedDigest;
  private volatile String lastRefusal;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();
  private WorkerExecutor bcrypt;
  private long timer = -1;

  private WebSecurity(Vertx vertx, WebConfig config, String at, String adminToken, Clock clock, TlsMaterial material) {
    this.vertx = vertx;
    this.config = config;
    this.at = at;
    this.adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken;
    this.clock = clock;
    this.material = material;
  }

  /**
   * Reads and checks the TLS files (on a worker) and returns the security of one server; fails with a
   * message naming the YAML key ({@code at}.tls.certFile...) when a file cannot serve (unreadable, not PEM,
   * key not matching, certificate expired).
   *
   * @param at the YAML path of the server section ({@code server} or {@code controller})
   * @param adminToken the admin token, also accepted as a read credential; null: none
   */
  public static Future<WebSecurity> load(Vertx vertx, WebConfig config, String at, String adminToken, Clock clock) {
    if (config.tls() == null) {
      return Future.succeededFuture(new WebSecurity(vertx, config, at, adminToken, clock, null));
    }
    return vertx.executeBlocking(() -> {
      try {
        return new WebSecurity(vertx, config, at, adminToken, clock,
            TlsMaterial.load(config.tls(), at + ".tls", clock.instant()));
      } catch (TlsMaterial.Invalid e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }, false);
  }

  /** Plain HTTP, no auth: the guard admits every request. */
  public static WebSecurity none(Vertx vertx) {
    return new WebSecurity(vertx, WebConfig.none(), "server", null, Clock.systemUTC(), null);
  }

  /** True when the servers speak TLS. */
  public boolean tls() {
    return material != null;
  }

  /** {@code "https"} or {@code "http"}. */
  public String scheme() {
    return tls() ? "https" : "http";
  }

  /** {@code base} with TLS on, when configured: certificate, key, client CA and how client certificates are asked. */
  public HttpServerOptions options(HttpServerOptions base) {
    TlsMaterial m = material;
    if (m == null) {
      return base;
    }
    base.setSsl(true).setKeyCertOptions(m.keyCert());
    if (m.trust() != null) {
      base.setTrustOptions(m.trust()).setClientAuth(clientAuth());
    }
    return base;
  }

  private ClientAuth clientAuth() {
    return config.tls().clientAuth() == WebConfig.ClientAuth.REQUIRE ? ClientAuth.REQUIRED : ClientAuth.REQUEST;
  }

  /**
   * Watches the TLS files for {@code server} (started with {@link #options}): changed files are loaded into
   * it and every other watched server. No-op without TLS.
   */
  public void watch(HttpServer server) {
    if (material == null) {
      return;
    }
    servers.add(server);
    synchronized (this) {
      if (timer < 0) {
        timer = vertx.setPeriodic(config.tls().reloadInterval().toMillis(), id -> check());
      }
    }
  }

  /** Credentials refused since start (wrong or missing token, password or client certificate). */
  public long rejected() {
    return rejected.sum();
  }

  /** Certificate reloads applied since start. */
  public long reloads() {
    return reloads.sum();
  }

  /** Why the latest change of the TLS files was refused; null when none was. */
  public String lastRefusal() {
    return lastRefusal;
  }

  private void check() {
    if (closed || !checking.compareAndSet(false, true)) {
      return; // the previous check is still loading or applying
    }
    vertx.executeBlocking(() -> {
      byte[] now = TlsMaterial.digestOf(config.tls());
      if (material.sameFiles(now) || (refusedDigest != null && MessageDigest.isEqual(refusedDigest, now))) {
        return null;
      }
      try {
        return TlsMaterial.load(config.tls(), at + ".tls", clock.instant());
      } catch (TlsMaterial.Invalid e) {
        refusedDigest = now;
        lastRefusal = e.getMessage();
        LOG.warn("TLS files changed but cannot serve; keeping the previous certificate: {}", e.getMessage());
        return null;
      }
    }, false).onComplete(loaded -> {
      TlsMaterial next = loaded.succeeded() ? loaded.result() : null;
      if (next == null || closed) {
        checking.set(false);
        return;
      }
      ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(next.keyCert());
      if (next.trust() != null) {
        ssl.setTrustOptions(next.trust()).setClientAuth(clientAuth());
      }
      Future.all(servers.stream().map(s -> s.updateSSLOptions(ssl, true)).toList()).onComplete(r -> {
        checking.set(false);
        if (closed) {
          return;
        }
        if (r.succeeded()) {
          material = next;
          refusedDigest = null;
          reloads.increment();
          LOG.info("reloaded the TLS certificate of {} from {} ({}, valid until {})", at, config.tls().certFile(),
              next.leaf().getSubjectX500Principal(), next.leaf().getNotAfter().toInstant());
        } else {
          LOG.warn("reloading the TLS certificate of {} failed; keeping the previous one: {}", at, r.cause().toString());
        }
      });
    });
  }

  /** The route handler described above; install it first ({@code router.route().handler(...)}). */
  public Handler<RoutingContext> guard() {
    return this::guard;
  }

  private void guard(RoutingContext rc) {
    String path = rc.normalizedPath();
    if (path.equals("/health/live") || path.equals("/health/ready")) {
      rc.next();
      return;
    }
    if (material != null && material.trust() != null && !hasClientCertificate(rc)) {
      rejected.increment();
      deny(rc, 401, null, "a client certificate signed by the configured CA (" + at + ".tls.clientCaFile) is required");
      return;
    }
    WebConfig.Auth auth = config.auth();
    if (auth == null || path.startsWith("/-/") || (path.equals("/metrics") && !auth.metrics())) {
      rc.next();
      return;
    }
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    String bearer = MonitorServer.bearer(header);
    if (bearer != null && (matches(bearer, auth.bearerToken()) || matches(bearer, adminToken))) {
      rc.next();
      return;
    }
    String[] basic = basic(header);
    String hash = basic == null ? null : auth.basicUsers().get(basic[0]);
    if (hash == null) {
      refuse(rc, auth);
      return;
    }
    byte[] seen = sha256(basic[0] + ":" + basic[1]);
    byte[] known = verified.get(basic[0]);
    if (known != null && MessageDigest.isEqual(known, seen)) {
      rc.next();
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING_BCRYPT) {
      pending.decrementAndGet();
      rejected.increment();
      deny(rc, 429, null, "too many password checks at once; retry later");
      return;
    }
    bcryptPool().executeBlocking(() -> OpenBSDBCrypt.checkPassword(hash, basic[1].toCharArray()), true)
        .onComplete(r -> {
          pending.decrementAndGet();
          if (r.succeeded() && r.result()) {
            verified.put(basic[0], seen);
            rc.next();
          } else {
            refuse(rc, auth);
          }
        });
  }

  private synchronized WorkerExecutor bcryptPool() {
    if (bcrypt == null) {
      bcrypt = vertx.createSharedWorkerExecutor("vigil-http-bcrypt", 1);
    }
    return bcrypt;
  }

  private void refuse(RoutingContext rc, WebConfig.Auth auth) {
    rejected.increment();
    String challenge = auth.basicUsers().isEmpty() ? "Bearer realm=\"vigil\"" : "Basic realm=\"vigil\", charset=\"UTF-8\"";
    deny(rc, 401, challenge, "valid credentials are required (" + at + ".auth)");
  }

  private static void deny(RoutingContext rc, int status, String challenge, String message) {
    if (challenge != null) {
      rc.response().putHeader("WWW-Authenticate", challenge);
    }
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(ApiJson.error(message).toString());
  }

  private static boolean hasClientCertificate(RoutingContext rc) {
    SSLSession session = rc.request().sslSession();
    if (session == null) {
      return false;
    }
    try {
      Certificate[] peer = session.getPeerCertificates();
      return peer != null && peer.length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** User and password of a {@code Basic} Authorization header, or null. */
  static String[] basic(String authorization) {
    if (authorization == null) {
      return null;
    }
    String a = authorization.strip();
    int sp = a.indexOf(' ');
    if (sp < 0 || !a.substring(0, sp).equalsIgnoreCase("Basic")) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(a.substring(sp).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean matches(String presented, String expected) {
    return expected != null && MessageDigest.isEqual(sha256(presented), sha256(expected));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the file watcher and the bcrypt pool. */
  public Future<Void> close() {
    closed = true;
    synchronized (this) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
    WorkerExecutor b;
    synchronized (this) {
      b = bcrypt;
      bcrypt = null;
    }
    return b == null ? Future.succeededFuture() : b.close();
  }
}
