package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weakened TLS verification is found, named by target or Kafka client, and only where it is configured. */
class RelaxedVerificationTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Test
  void aTargetWithoutHostnameVerificationAndAKafkaClientWithoutItAreNamed() {
    String yaml = ConfigFixtures.target("tls: {verifyHostname: false}").replace("http:", "https:")
        + "kafka: {bootstrapServers: 'localhost:9092', clientId: vigil-m0,"
        + " properties: {ssl.endpoint.identification.algorithm: ''}}\n"
        + "events: {signingKey: private.pem}\n";
    assertThat(RelaxedVerification.of(ConfigFixtures.valid(yaml, dir))).extracting(Object::toString).containsExactly(
        "target auth-service/green: TLS hostname verification is off (tls.verifyHostname: false); a certificate for"
            + " another host is accepted",
        "kafka client vigil-m0: broker hostname verification is off"
            + " (kafka.properties.ssl.endpoint.identification.algorithm is empty)");
    assertThat(RelaxedVerification.targets(ConfigFixtures.valid(yaml, dir)))
        .containsExactly(new dev.vigil.score.TargetId("auth-service", "green"));
  }

  @Test
  void theDefaultsWeakenNothing() {
    String yaml = ConfigFixtures.target("tls: {verifyHostname: true}").replace("http:", "https:")
        + "kafka: {bootstrapServers: 'localhost:9092', properties: {ssl.endpoint.identification.algorithm: https}}\n"
        + "events: {signingKey: private.pem}\n";
    assertThat(RelaxedVerification.of(ConfigFixtures.valid(yaml, dir))).isEmpty();
    assertThat(RelaxedVerification.of(ConfigFixtures.valid(ConfigFixtures.MINIMAL, dir))).isEmpty();
  }
}
