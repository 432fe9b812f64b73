package dev.vigil.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Expectation;
import dev.vigil.config.PolicyConfig;
import dev.vigil.config.TargetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollTargetTest {

  private static PollTarget at(String base) {
    TargetConfig t = new TargetConfig("svc", "green", URI.create(base), "/attestation", TargetConfig.Mode.ATTESTATION,
        Duration.ofSeconds(30), Duration.ofSeconds(5), 0, List.of(), 1, null);
    return PollTarget.of(t, new PolicyConfig(Expectation.DEFAULT_HASH, null, true, Duration.ofSeconds(60)), 65_536,
        Duration.ofMillis(10));
  }

  @ParameterizedTest
  @CsvSource({
      "http://127.0.0.1:8000, /attestation?nonce=abc, /attestation?nonce=abc",
      "http://127.0.0.1:8000/, /attestation?nonce=abc, /attestation?nonce=abc",
      "http://127.0.0.1:8000/api, /attestation, /api/attestation",
      "http://127.0.0.1:8000/api/, attestation, /api/attestation",
      "http://127.0.0.1:8000, health, /health",
      "https://svc.example:8443/a%20b/, /health/constitutional, /a%20b/health/constitutional"})
  void requestUriIsThePathAndQueryOfTheEndpoint(String base, String path, String expected) {
    PollTarget t = at(base);
    assertThat(t.requestUri(path)).isEqualTo(expected);
    assertThat(HttpProbe.requestUri(t.endpoint(path))).isEqualTo(expected);
  }
}
