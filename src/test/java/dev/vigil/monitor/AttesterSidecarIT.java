package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attester.AttesterServer;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.BreachTransition.Kind;
import dev.vigil.score.TargetId;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attester sidecar against the real monitor with the constitution's digest pinned: editing the file opens a hash_mismatch breach. */
class AttesterSidecarIT {
  private static final TargetId SIDECAR = new TargetId("integrity-service", "sidecar");

  @TempDir Path dir;
  private FleetHarness h;
  private Vertx vertx;
  private AttesterServer attester;

  @BeforeEach
  void start() throws Exception {
    h = FleetHarness.start(List.of("auth-service"), List.of("green"), dir);
    vertx = TestVertx.create();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      TestVertx.await(vertx.close());
    } finally {
      h.close();
    }
  }

  @Test
  void editingTheConstitutionOpensAHashMismatchBreach() throws Exception {
    Path constitution = dir.resolve("constitution.md");
    Files.writeString(constitution, "ACGS-PGP constitution, approved text\n");
    SigningKey key = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("integrity-service-sidecar.pub.pem"), key.publicKey().toPem());
    attester = TestVertx.await(AttesterServer.start(vertx, new AttesterServer.Options(constitution, key, SIDECAR.service(),
        SIDECAR.environment(), "cdd01ef066bc6cf2", null, null, "127.0.0.1", 0), Clock.systemUTC()));

    String digest = AttesterServer.sha256Hex(constitution);
    String target = "  - {service: integrity-service, environment: sidecar, url: \"http://127.0.0.1:" + attester.port()
        + "\", keys: [{file: integrity-service-sidecar.pub.pem}]}\n";
    String policy = "policies:\n  sidecar: {expectedHash: cdd01ef066bc6cf2, pinnedDigest: " + digest + "}\n";
    Files.writeString(h.configFile, FleetHarness.yaml(h.sim, h.sim.targets(), target) + policy);
    HttpResponse<String> r = h.reload(FleetHarness.TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(FleetHarness.deadline()).until(() -> "compliant".equals(h.verdict(SIDECAR)));

    Files.writeString(constitution, "ACGS-PGP constitution, quietly edited text\n");
    await().atMost(FleetHarness.deadline()).until(() -> h.count(SIDECAR, "hash_mismatch", Kind.OPENED) == 1);
    assertThat(h.verdict(SIDECAR)).isEqualTo("hash_mismatch");

    Files.writeString(constitution, "ACGS-PGP constitution, approved text\n");
    await().atMost(FleetHarness.deadline()).until(() -> h.count(SIDECAR, "hash_mismatch", Kind.RESOLVED) == 1);
  }
}
