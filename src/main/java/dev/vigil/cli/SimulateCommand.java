package dev.vigil.cli;

import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import dev.vigil.score.TargetId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil simulate}: runs a {@link FleetSimulator} until Ctrl-C. Exit 0 after a clean stop, 2
 * when it cannot start (a port taken, a key file missing, invalid options). Public so that it can
 * be embedded and tested outside this package; {@link #requestStop()} does what Ctrl-C does.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Run a simulated fleet whose services sign real attestations with their own",
        "keys, in green and blue, with faults injectable through a JSON admin API:",
        "  GET /faults, PUT /faults/SERVICE/ENV {\"fault\":\"tampered_hash\"},",
        "  DELETE /faults/SERVICE/ENV, DELETE /faults, GET /targets, GET /metrics",
        "  (each instance's traffic in Prometheus text format).",
        "Prints one line per instance (service, environment, URL, keyid) and the",
        "admin URL, then runs until Ctrl-C. Port 0 means ephemeral ports.",
        ""
    })
public final class SimulateCommand implements Callable<Integer> {
  static final int START_ERROR = 2;
  private static final long START_TIMEOUT_MINUTES = 5;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin LogOptions logging = new LogOptions();

  @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "8000",
      description = "First port: green instance i on PORT+i, blue on PORT+100+i; with --services, the"
          + " shared ports PORT..PORT+3 (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "8099",
      description = "Port of the admin API (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--admin-host", paramLabel = "HOST", defaultValue = SimulatorOptions.LOOPBACK,
      description = {"Address of the admin API, which has no authentication: loopback unless this names another",
          "(default: ${DEFAULT-VALUE}, whatever --host is)."})
  String adminHost;

  @Option(names = "--services", paramLabel = "N",
      description = "Generate N services svc-00000.. served on 4 shared ports under /s/SERVICE/ENV"
          + " (default: the seven ACGS services, each on its own port).")
  Integer services;

  @Option(names = "--keys-dir", paramLabel = "DIR",
      description = "Read each instance's private key from DIR/SERVICE-ENV.key.pem (default: fresh Ed25519 keys in memory).")
  Path keysDir;

  @Option(names = "--write-public-keys", paramLabel = "DIR",
      description = "Write each instance's public key to DIR/SERVICE-ENV.pub.pem, for the monitor's trust configuration.")
  Path publicKeysDir;

  @Option(names = "--hash", paramLabel = "H", defaultValue = SimulatorOptions.DEFAULT_HASH,
      description = "Constitutional hash the services report (default: ${DEFAULT-VALUE}).")
  String hash;

  @Option(names = "--rps", paramLabel = "N",
      description = {"Synthetic load per service, requests per second, split by the traffic router's weights and",
          "shown at ADMIN/metrics (default: 1200 on dedicated ports, 0 with --services)."})
  Double rps;

  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();

  /** Stops a running simulation as Ctrl-C does; may be called before or while it runs. */
  public void requestStop() {
    stopRequested.complete(null);
  }

  @Override
  public Integer call() {
    logging.apply(dev.vigil.logging.Logging.Profile.DAEMON);
    PrintWriter out = spec.commandLine().getOut();
    for (int port : new int[] {basePort, adminPort}) {
      if (port < 0 || port > 65_535) {
        return fail((port == basePort ? "--base-port" : "--admin-port") + " must be between 0 and 65535, got " + port);
      }
    }
    if (rps != null && !(rps >= 0 && rps <= 1_000_000)) {
      return fail("--rps must be between 0 and 1000000 requests per second per service, got " + rps);
    }
    SimulatorOptions options;
    try {
      options = SimulatorOptions.defaults().withBasePort(basePort).withAdminPort(adminPort).withHost(host)
          .withAdminHost(adminHost).withConstitutionalHash(hash).withKeysDir(keysDir);
      if (services != null) {
        if (services < 1) {
          return fail("--services must be at least 1, got " + services);
        }
        options = options.withGenerated(services, SimulatorOptions.DEFAULT_SHARED_PORTS);
      }
    } catch (IllegalArgumentException e) {
      return fail("invalid options: " + e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    FleetSimulator sim;
    try {
      sim = FleetSimulator.start(vertx, options).toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      close(vertx, null);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return fail(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    } catch (TimeoutException e) {
      close(vertx, null);
      return fail("the simulator did not start within " + START_TIMEOUT_MINUTES + " minutes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(vertx, null);
      return fail("interrupted while starting");
    }
    if (rps != null) {
      sim.load(rps);
    }
    if (publicKeysDir != null) {
      try {
        sim.writePublicKeys(publicKeysDir);
      } catch (IOException e) {
        close(vertx, sim);
        return fail("--write-public-keys " + publicKeysDir + ": cannot write: " + e.getMessage());
      }
    }
    for (TargetId id : sim.targets()) {
      out.printf(Locale.ROOT, "%-30s %-6s %-45s %s%n", id.service(), id.environment(), sim.baseUrl(id),
          sim.publicKey(id).keyId());
    }
    out.println("admin " + sim.adminUrl());
    out.println("running " + sim.targets().size() + " instances; Ctrl-C to stop");
    out.flush();
    return runUntilStopped(vertx, sim);
  }

  private int runUntilStopped(Vertx vertx, FleetSimulator sim) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Thread hook = new Thread(() -> {
      requestStop();
      stopped.join();
    }, "vigil-simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopRequested.join();
      close(vertx, sim);
    } finally {
      stopped.complete(null);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down (Ctrl-C): the hook is running and waits for us; nothing to remove.
      }
    }
    spec.commandLine().getErr().println("simulator stopped");
    spec.commandLine().getErr().flush();
    return 0;
  }

  /** Stops the simulator (if any) and Vert.x, waiting at most a few seconds. */
  private static void close(Vertx vertx, FleetSimulator sim) {
    Future<Void> done = (sim == null ? Future.<Void>succeededFuture() : sim.stop()).eventually(vertx::close);
    try {
      done.toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Best effort on the way out: the process ends anyway.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int fail(String message) {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
    spec.commandLine().getErr().flush();
    return START_ERROR;
  }
}
