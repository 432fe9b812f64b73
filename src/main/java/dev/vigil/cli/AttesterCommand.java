package dev.vigil.cli;

import dev.vigil.attest.SigningKey;
import dev.vigil.attester.AttesterServer;
import io.vertx.core.Vertx;
import java.net.URI;
import dev.vigil.config.BoundedFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil attester}: the attestation sidecar for a service that cannot sign by itself. */
@Command(
    name = "attester",
    mixinStandardHelpOptions = true,
    description = {
        "Serve signed attestations (GET /attestation?nonce=N, attestation-v1) for a",
        "service that cannot sign by itself. The subject digest is the SHA-256 of the",
        "constitution file and the compliance status comes from --health-url, both",
        "refreshed every --refresh-interval (an edit shows within one); a request only",
        "signs, so a slow health URL or a flood cannot delay it. Runs until SIGINT/SIGTERM."
    })
final class AttesterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin LogOptions logging = new LogOptions();

  @Option(names = "--constitution", required = true, paramLabel = "FILE", description = "The constitution document the service runs.")
  Path constitution;

  @Option(names = "--key", required = true, paramLabel = "PRIVATE.pem", description = "Signing key (PKCS#8 PEM).")
  Path key;

  @Option(names = "--service", required = true, paramLabel = "S", description = "Service name (subject and predicate).")
  String service;

  @Option(names = "--environment", required = true, paramLabel = "E", description = "Environment, e.g. green or blue.")
  String environment;

  @Option(names = "--hash", paramLabel = "H",
      description = "constitutionalHash to attest (default: the first 16 hex digits of the constitution's SHA-256).")
  String hash;

  @Option(names = "--health-url", paramLabel = "URL",
      description = "The service's /health/constitutional: its constitutional_compliance becomes complianceStatus (default: active).")
  URI healthUrl;

  @Option(names = "--release", paramLabel = "VERSION", description = "Optional predicate.version, the service's release.")
  String release;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "0.0.0.0", description = "Listen address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "9480", description = "Listen port, 0 for any (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--refresh-interval", paramLabel = "DURATION", defaultValue = "1s",
      converter = Converters.HumanDuration.class,
      description = "How often the constitution and the health URL are read again (default: ${DEFAULT-VALUE}).")
  Duration refreshInterval;

  @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "1024",
      description = "Attestations queued or being signed at once; more are answered 503 (default: ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Override
  public Integer call() throws Exception {
    logging.apply(dev.vigil.logging.Logging.Profile.DAEMON);
    try {
      BoundedFiles.check(constitution, AttesterServer.MAX_CONSTITUTION_BYTES);
    } catch (BoundedFiles.Problem e) {
      throw new Main.InputException("--constitution: " + e.getMessage());
    }
    if (refreshInterval.toMillis() < 10) {
      throw new Main.InputException("--refresh-interval must be at least 10ms, got " + refreshInterval);
    }
    if (maxConcurrent < 1) {
      throw new Main.InputException("--max-concurrent must be at least 1, got " + maxConcurrent);
    }
    if (healthUrl != null && !("http".equals(healthUrl.getScheme()) || "https".equals(healthUrl.getScheme()))) {
      throw new Main.InputException("--health-url must be an http or https URL, got '" + healthUrl + "'");
    }
    if (port < 0 || port > 65535) {
      throw new Main.InputException("--port must be between 0 and 65535, got " + port);
    }
    SigningKey signingKey = CliFiles.privateKey(key, "--key");
    Vertx vertx = Vertx.vertx();
    AttesterServer server;
    try {
      server = AttesterServer.start(vertx, new AttesterServer.Options(constitution, signingKey, service, environment, hash,
          healthUrl, release, host, port, refreshInterval, maxConcurrent), Clock.systemUTC()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      vertx.close();
      throw new Main.InputException(e.getCause().getMessage());
    }
    spec.commandLine().getOut().println("vigil attester " + service + "/" + environment + " (keyid " + signingKey.keyId()
        + "): http://" + host + ":" + server.port() + "/attestation");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      stopped.countDown();
    }, "vigil-attester-shutdown"));
    stopped.await();
    return 0;
  }
}
