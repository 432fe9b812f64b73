package dev.vigil.sim;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A simulated fleet: every service instance (a service in one environment) signs real
 * attestation-v1 envelopes with its own key, serves the legacy ACGS health endpoints, and shows a
 * {@link Fault} on demand, set through this class or the JSON admin API (see {@link #adminUrl()}).
 *
 * <p>Endpoints of an instance, below {@link #baseUrl(TargetId)}: {@code GET /attestation?nonce=N}
 * (a DSSE envelope, {@code application/vnd.dsse.envelope.v1+json}), {@code GET /health} and {@code
 * GET /health/constitutional}. The layout of ports and paths is described in {@link
 * SimulatorOptions}.
 *
 * <p>Admin API (JSON): {@code GET /faults}; {@code PUT /faults/<service>/<environment>} with
 * {@code {"fault":"tampered_hash"}} or {@code {"fault":"slow","delayMs":3000}} (204); {@code DELETE
 * /faults/<service>/<environment>} and {@code DELETE /faults} (204); {@code GET /targets}; the
 * traffic router's {@code GET /traffic} and {@code PUT /traffic/<service>} ({@link #traffic()});
 * {@code GET /metrics}, the instances' own traffic in Prometheus text format ({@link #load()}).
 *
 * <p>Thread safety: every method may be called from any thread, the event loop included; none
 * blocks except {@link #writePublicKeys(Path)} (file I/O). Faults and counters are shared with the
 * request handlers through volatile and atomic fields, so a fault set here applies to the next
 * request that arrives. The simulator does not own the {@link Vertx} it runs on: {@link #stop()}
 * closes its servers, not Vert.x.
 */
public final class FleetSimulator {
  private static final long TRAFFIC_TICK_MS = 250;
  private final SimulatorOptions options;
  private final Map<TargetId, Instance> instances;
  private final List<Listener> listeners;
  private final AdminApi admin;
  private final TrafficRouter traffic;
  private final TrafficMetrics metrics;
  private final Vertx vertx;
  private long ticker = -1;
  private Future<Void> stopping;

  private FleetSimulator(Vertx vertx, SimulatorOptions options, Map<TargetId, SigningKey> keys, SigningKey untrusted) {
    this.options = options;
    Attester attester = new Attester(options, untrusted);
    Map<TargetId, Instance> byId = new LinkedHashMap<>();
    List<Listener> all = new ArrayList<>();
    if (options.isGenerated()) {
      for (int k = 0; k < options.sharedPorts(); k++) {
        all.add(new Listener(vertx, attester, options.host(), options.sharedPort(k), false));
      }
    }
    int n = 0;
    for (Map.Entry<TargetId, SigningKey> e : keys.entrySet()) {
      TargetId id = e.getKey();
      Instance instance;
      if (options.isGenerated()) {
        instance = new Instance(id, e.getValue(), Listener.SHARED_PREFIX + id.service() + "/" + id.environment());
        all.get(n % all.size()).add(instance);
      } else {
        instance = new Instance(id, e.getValue(), "");
        Listener l = new Listener(vertx, attester, options.host(), options.dedicatedPort(
            options.services().indexOf(id.service()), options.environments().indexOf(id.environment())), true);
        l.add(instance);
        all.add(l);
      }
      byId.put(id, instance);
      n++;
    }
    this.instances = Collections.unmodifiableMap(byId);
    this.listeners = List.copyOf(all);
    this.traffic = new TrafficRouter(options.services());
    this.vertx = vertx;
    this.metrics = new TrafficMetrics(traffic, options.isGenerated() ? 0 : TrafficMetrics.DEFAULT_RPS);
    this.admin = new AdminApi(vertx, this);
    admin.router().get("/metrics").handler(ctx -> {
      advanceTraffic();
      ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
    });
  }

  /**
   * Generates or reads the keys (on a worker thread), then opens every instance's port and the
   * admin port. Fails, with every port it opened closed again, when a key file is missing or
   * unusable ({@link IOException} naming the file) or a port cannot be bound ({@link
   * java.net.BindException} such as "cannot listen on 127.0.0.1:8002 for integrity-service/green:
   * address already in use").
   */
  public static Future<FleetSimulator> start(Vertx vertx, SimulatorOptions options) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(options, "options");
    return vertx.<FleetSimulator>executeBlocking(() -> {
      SecureRandom random = new SecureRandom();
      List<TargetId> targets = new ArrayList<>();
      for (String service : options.services()) {
        for (String environment : options.environments()) {
          targets.add(new TargetId(service, environment));
        }
      }
      return new FleetSimulator(vertx, options, FleetKeys.load(targets, options.keysDir(), random),
          Keys.generate(Scheme.ED25519, random));
    }, false).compose(FleetSimulator::open);
  }

  private Future<FleetSimulator> open() {
    List<Future<Void>> opened = listeners.stream().map(Listener::open).toList();
    return Future.join(opened).transform(ignored -> {
      for (Future<Void> f : opened) {
        if (f.failed()) {
          return Future.failedFuture(f.cause());
        }
      }
      return admin.listen(options.adminHost(), options.adminPort());
    }).onSuccess(v -> startTraffic()).transform(ar -> ar.succeeded() ? Future.succeededFuture(this)
        : stop().transform(ignored -> Future.failedFuture(ar.cause())));
  }

  /** Closes every server of the simulator; idempotent. Pending slow responses are dropped. */
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      vertx.cancelTimer(ticker);
      List<Future<Void>> closed = new ArrayList<>();
      listeners.forEach(l -> closed.add(l.close()));
      closed.add(admin.close());
      stopping = Future.join(closed).<Void>mapEmpty().onComplete(ar -> metrics.close());
    }
    return stopping;
  }

  /**
   * The traffic router: per service, the green/blue weights the rollback controller switches
   * (admin API {@code GET /traffic}, {@code GET /traffic/<service>}, {@code PUT /traffic/<service>}
   * with {@code {"blue":100,"green":0}}, answering the new weights and the previous ones).
   */
  public TrafficRouter traffic() {
    return traffic;
  }

  /**
   * The synthetic load per service, requests per second, that the instances' traffic metrics show
   * (admin API {@code GET /metrics}, Prometheus text format; {@link TrafficMetrics}): by default
   * {@value TrafficMetrics#DEFAULT_RPS} on dedicated ports, none in generated mode.
   */
  public double load() {
    return metrics.rps();
  }

  /**
   * Sets the synthetic load per service from now on.
   *
   * @throws IllegalArgumentException outside 0 to 1,000,000 requests per second
   */
  public void load(double rps) {
    advanceTraffic();
    metrics.rps(rps);
  }

  /** The options it runs with. */
  public SimulatorOptions options() {
    return options;
  }

  /** Every instance, service by service in option order, each in every environment. */
  public List<TargetId> targets() {
    return List.copyOf(instances.keySet());
  }

  /**
   * The URL a monitor configuration uses for {@code id}, without a trailing slash: {@code
   * http://127.0.0.1:8002} on a dedicated port, {@code http://127.0.0.1:8001/s/svc-00042/green} in
   * generated mode. The attestation is at this URL plus {@code /attestation} (the default
   * attestationPath of attestation-v1), the legacy endpoints at plus {@code /health} and {@code
   * /health/constitutional}.
   */
  public URI baseUrl(TargetId id) {
    Instance instance = instance(id);
    return URI.create("http://" + hostPort(options.host(), instance.listener().port()) + instance.prefix());
  }

  /** {@link #baseUrl(TargetId)} plus {@code /attestation}, without a nonce. */
  public URI attestationUrl(TargetId id) {
    return URI.create(baseUrl(id) + Attester.Endpoint.ATTESTATION.path);
  }

  /** The public key a monitor must trust for {@code id}. */
  public Keys.PublicKeyMaterial publicKey(TargetId id) {
    return instance(id).key().publicKey();
  }

  /**
   * Writes {@code <service>-<environment>.pub.pem} (SubjectPublicKeyInfo PEM) for every instance
   * into {@code dir}, creating it if needed and replacing files of those names. Blocking.
   */
  public void writePublicKeys(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Instance instance : instances.values()) {
      Files.writeString(dir.resolve(FleetKeys.publicKeyFile(instance.id())), instance.key().publicKey().toPem(),
          StandardCharsets.US_ASCII);
    }
  }

  /** The admin API's root URL, e.g. {@code http://127.0.0.1:8099}. */
  public URI adminUrl() {
    return URI.create("http://" + hostPort(options.adminHost(), admin.port()));
  }

  /**
   * Makes {@code id} show {@code fault} from its next request on ({@link Fault#SLOW} with a 3 s
   * delay). The future completes once the fault is in effect: for {@link Fault#CONNECTION_REFUSED}
   * on a dedicated port, once the port is closed; when clearing it, once it listens again (it fails
   * if the port was taken in between).
   *
   * @throws IllegalArgumentException for an unknown target
   */
  public Future<Void> setFault(TargetId id, Fault fault) {
    return apply(instance(id), FaultSetting.of(fault));
  }

  /**
   * Like {@link #setFault(TargetId, Fault)}, with the delay of {@link Fault#SLOW}.
   *
   * @throws IllegalArgumentException for an unknown target, a delay with another fault, or a delay
   *     outside 0 to 10 minutes
   */
  public Future<Void> setFault(TargetId id, Fault fault, Duration delay) {
    return apply(instance(id), new FaultSetting(fault, delay));
  }

  /** {@code setFault(id, Fault.NONE)}. */
  public Future<Void> clearFault(TargetId id) {
    return setFault(id, Fault.NONE);
  }

  /** Clears the fault of every instance. */
  public Future<Void> clearAll() {
    List<Future<Void>> done = new ArrayList<>();
    instances.values().forEach(i -> done.add(apply(i, FaultSetting.NONE)));
    return Future.all(done).mapEmpty();
  }

  /** The fault {@code id} shows now. */
  public Fault fault(TargetId id) {
    return instance(id).fault().fault();
  }

  /** HTTP requests that reached {@code id} so far, on any of its endpoints and whatever its fault. */
  public long requests(TargetId id) {
    return instance(id).requests();
  }

  // Package-private: for the admin API and tests.

  Collection<Instance> instances() {
    return instances.values();
  }

  /** The instance of {@code id}, or null. */
  Instance find(TargetId id) {
    return instances.get(id);
  }

  Future<Void> apply(Instance instance, FaultSetting setting) {
    advanceTraffic();
    instance.fault(setting);
    Listener l = instance.listener();
    return l.dedicated() ? l.reconcile() : Future.succeededFuture();
  }

  /** Accounts for the traffic up to now; called every 250 ms, before a scrape and before a change. */
  void advanceTraffic() {
    metrics.advance(options.clock().instant(), instances.values());
  }

  private synchronized void startTraffic() {
    advanceTraffic();
    if (stopping == null) {
      ticker = vertx.setPeriodic(TRAFFIC_TICK_MS, id -> advanceTraffic());
    }
  }

  private Instance instance(TargetId id) {
    Instance instance = instances.get(Objects.requireNonNull(id, "id"));
    if (instance == null) {
      throw new IllegalArgumentException("unknown target " + id + "; the simulator runs " + instances.size() + " instances");
    }
    return instance;
  }

  static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
