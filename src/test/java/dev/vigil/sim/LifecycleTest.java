package dev.vigil.sim;

import static dev.vigil.sim.SimHarness.await;
import static dev.vigil.sim.SimHarness.failure;
import static dev.vigil.sim.SimHarness.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verifier;
import dev.vigil.poll.Nonce;
import dev.vigil.score.TargetId;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping, ports that are taken, keys from and to files. */
class LifecycleTest {
  static final TargetId INTEGRITY_GREEN = new TargetId("integrity-service", "green");
  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = SimHarness.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    await(vertx.close());
  }

  /** One instance, integrity-service/green, on an ephemeral port. */
  static SimulatorOptions single() {
    return SimHarness.options().withServices(List.of("integrity-service")).withEnvironments(List.of("green"));
  }

  static ServerSocket occupy() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
  }

  @Nested
  class Ports {
    @Test
    void aTakenInstancePortFailsTheStartNamingAddressAndInstance() throws Exception {
      try (ServerSocket taken = occupy()) {
        Throwable e = failure(FleetSimulator.start(vertx, single().withBasePort(taken.getLocalPort())));
        assertThat(e).isInstanceOf(BindException.class).hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort()
            + " for integrity-service/green: address already in use");
      }
    }

    @Test
    void aTakenAdminPortFailsTheStartAndClosesTheInstancePorts() throws Exception {
      int instancePort;
      try (ServerSocket probe = occupy()) {
        instancePort = probe.getLocalPort();
      }
      try (ServerSocket taken = occupy()) {
        Throwable e = failure(FleetSimulator.start(vertx,
            single().withBasePort(instancePort).withAdminPort(taken.getLocalPort())));
        assertThat(e).isInstanceOf(BindException.class).hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort()
            + " for the admin API: address already in use");
      }
      try (ServerSocket again = new ServerSocket(instancePort, 1, InetAddress.getByName("127.0.0.1"))) {
        assertThat(again.getLocalPort()).as("the instance port was released").isEqualTo(instancePort);
      }
    }

    @Test
    void aTakenSharedPortNamesTheInstancesOnIt() throws Exception {
      try (ServerSocket taken = occupy()) {
        Throwable e = failure(FleetSimulator.start(vertx,
            SimHarness.options().withGenerated(10, 1).withBasePort(taken.getLocalPort())));
        assertThat(e).hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort()
            + " for shared port of 20 instances (svc-00000/green and 19 more): address already in use");
      }
    }

    @Test
    void stopClosesEveryPortAndIsIdempotent() throws Exception {
      FleetSimulator sim = await(FleetSimulator.start(vertx, single()));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      await(sim.stop());
      await(sim.stop());
      assertThatThrownBy(() -> SimHarness.get(SimHarness.client(), sim.attestationUrl(INTEGRITY_GREEN)))
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> SimHarness.get(SimHarness.client(), sim.adminUrl()))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Nested
  class KeyFiles {
    @Test
    void readsEachInstancesKeyFromTheKeysDirectory(@TempDir Path dir) throws Exception {
      SigningKey green = Keys.generate(Scheme.ED25519, new SecureRandom());
      SigningKey blue = Keys.generate(Scheme.ECDSA_P256, new SecureRandom());
      Files.writeString(dir.resolve("integrity-service-green.key.pem"), green.privatePem());
      Files.writeString(dir.resolve("integrity-service-blue.key.pem"), blue.privatePem());
      FleetSimulator sim = await(FleetSimulator.start(vertx, single()
          .withEnvironments(List.of("green", "blue")).withKeysDir(dir)));
      try {
        assertThat(sim.publicKey(INTEGRITY_GREEN).keyId()).isEqualTo(green.keyId());
        TargetId integrityBlue = new TargetId("integrity-service", "blue");
        assertThat(sim.publicKey(integrityBlue).keyId()).isEqualTo(blue.keyId());
        String nonce = Nonce.fresh();
        byte[] body = SimHarness.get(SimHarness.withNonce(sim.attestationUrl(integrityBlue), nonce)).body();
        assertThat(new Verifier(TrustStore.of(blue.trusted()))
            .verify(body, SimHarness.expectation(sim, integrityBlue, nonce, SimHarness.NOW)).verdict())
            .isEqualTo(Verdict.COMPLIANT);
      } finally {
        await(sim.stop());
      }
    }

    @Test
    void aMissingKeyFileFailsTheStartNamingIt(@TempDir Path dir) throws Exception {
      Throwable e = failure(FleetSimulator.start(vertx, single().withKeysDir(dir)));
      assertThat(e).isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("integrity-service-green.key.pem").hasMessageContaining("no key for integrity-service/green");
    }

    @Test
    void aFileThatIsNoKeyFailsTheStartNamingIt(@TempDir Path dir) throws Exception {
      Files.writeString(dir.resolve("integrity-service-green.key.pem"), "hello");
      Throwable e = failure(FleetSimulator.start(vertx, single().withKeysDir(dir)));
      assertThat(e).isInstanceOf(IOException.class).hasMessageContaining("integrity-service-green.key.pem")
          .hasMessageContaining("unusable");
    }

    @Test
    void anRsaKeyIsRefusedBecauseItsSigningWouldBlockTheEventLoop(@TempDir Path dir) throws Exception {
      Files.writeString(dir.resolve("integrity-service-green.key.pem"),
          Keys.generate(Scheme.RSA_PSS_SHA256, new SecureRandom()).privatePem());
      Throwable e = failure(FleetSimulator.start(vertx, single().withKeysDir(dir)));
      assertThat(e).isInstanceOf(IOException.class).hasMessageContaining("is an RSA key");
    }

    @Test
    void writesEveryPublicKey(@TempDir Path dir) throws Exception {
      FleetSimulator sim = await(FleetSimulator.start(vertx, SimHarness.options()));
      try {
        Path out = dir.resolve("trust");
        sim.writePublicKeys(out);
        try (var files = Files.list(out)) {
          assertThat(files.count()).isEqualTo(14);
        }
        for (TargetId id : sim.targets()) {
          Keys.PublicKeyMaterial pub = Keys.readPublic(Files.readString(
              out.resolve(id.service() + "-" + id.environment() + ".pub.pem"), StandardCharsets.US_ASCII));
          assertThat(pub.keyId()).isEqualTo(sim.publicKey(id).keyId());
        }
        TrustedKey trusted = TrustedKey.of(Keys.readPublic(Files.readString(out.resolve("integrity-service-green.pub.pem"))));
        String nonce = Nonce.fresh();
        byte[] body = SimHarness.get(SimHarness.withNonce(sim.attestationUrl(INTEGRITY_GREEN), nonce)).body();
        assertThat(new Verifier(TrustStore.of(trusted))
            .verify(body, SimHarness.expectation(sim, INTEGRITY_GREEN, nonce, SimHarness.NOW)).verdict())
            .isEqualTo(Verdict.COMPLIANT);
      } finally {
        await(sim.stop());
      }
    }
  }

  @Nested
  class Hash {
    @Test
    void aConfiguredHashIsReportedAndTamperingStillDiffers() throws Exception {
      FleetSimulator sim = await(FleetSimulator.start(vertx, single().withConstitutionalHash("deadbeefdeadbeef")));
      try {
        assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
        await(sim.setFault(INTEGRITY_GREEN, Fault.TAMPERED_HASH));
        assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      } finally {
        await(sim.stop());
      }
    }
  }
}
