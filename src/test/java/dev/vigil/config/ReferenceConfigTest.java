package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.config.TargetConfig.Mode;
import dev.vigil.score.Rule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/vigil.yaml: the reference ACGS-PGP fleet of design.md. */
class ReferenceConfigTest {
  static final Path FILE = Path.of("config", "vigil.yaml");
  static final Map<String, Integer> FLEET = fleet();

  @TempDir static Path keysDir;
  static final Map<String, String> KEY_IDS = new LinkedHashMap<>();

  @BeforeAll
  static void writeKeys() {
    FLEET.keySet().forEach(service -> List.of("green", "blue").forEach(env -> {
      Keys.PublicKeyMaterial key = Keys.generate(Scheme.ED25519, ConfigFixtures.RANDOM).publicKey();
      ConfigFixtures.write(keysDir.resolve(service + "-" + env + ".pub.pem"), key.toPem());
      KEY_IDS.put(service + "/" + env, key.keyId());
    }));
  }

  private static Map<String, Integer> fleet() {
    Map<String, Integer> fleet = new LinkedHashMap<>();
    fleet.put("auth-service", 8000);
    fleet.put("constitutional-ai-service", 8001);
    fleet.put("integrity-service", 8002);
    fleet.put("formal-verification-service", 8003);
    fleet.put("governance-synthesis-service", 8004);
    fleet.put("policy-governance-service", 8005);
    fleet.put("executive-council-service", 8006);
    return fleet;
  }

  private static VigilConfig load() {
    ConfigResult result = ConfigLoader.load(FILE, Map.of("VIGIL_KEYS_DIR", keysDir.toString(),
        "VIGIL_ADMIN_TOKEN", ConfigFixtures.TOKEN));
    assertThat(result.errors()).isEmpty();
    return result.orElseThrow();
  }

  @Test
  void rollsBackCriticalBreachesThroughTheIstioVirtualService() {
    RollbackConfig r = load().rollback();
    assertThat(r.severities()).containsExactly(dev.vigil.score.Severity.CRITICAL);
    assertThat(r.validationConsecutive()).isEqualTo(2);
    assertThat(r.executionTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(r.dedupDir()).isEqualTo(Path.of("/var/lib/vigil/rollback"));
    assertThat(r.critical()).isEqualTo(RollbackConfig.REFERENCE_CRITICAL);
    FLEET.keySet().forEach(service -> assertThat(r.actuatorFor(service)).isEqualTo(
        new ActuatorConfig.Istio("acgs", "acgs-routes", null)));
  }

  @Test
  void holdsTheSevenServicesGreenAndBlue() {
    List<TargetConfig> targets = load().targets();
    assertThat(targets).hasSize(14);
    FLEET.forEach((service, port) -> List.of("green", "blue").forEach(env -> {
      TargetConfig t = targets.stream().filter(x -> x.service().equals(service) && x.environment().equals(env))
          .findFirst().orElseThrow();
      assertThat(t.url()).isEqualTo(URI.create("http://" + service + "-" + env + ".acgs.svc.cluster.local:" + port));
      assertThat(t.mode()).isEqualTo(Mode.ATTESTATION);
      assertThat(t.interval()).isEqualTo(Duration.ofSeconds(30));
      assertThat(t.keys()).singleElement().satisfies(k -> {
        assertThat(k.source()).isEqualTo(keysDir.resolve(service + "-" + env + ".pub.pem").toString());
        assertThat(k.key().keyId()).isEqualTo(KEY_IDS.get(service + "/" + env));
        assertThat(k.key().scope()).isEqualTo(Set.of(service));
      });
    }));
  }

  @Test
  void spellsOutTheSevenDefaultRulesAndTheReferenceHash() {
    VigilConfig c = load();
    assertThat(c.rules()).isEqualTo(Rule.defaults());
    assertThat(c.defaultPolicy()).isEqualTo(PolicyConfig.defaults());
    assertThat(c.policies()).isEmpty();
    assertThat(c.polling()).isEqualTo(PollingConfig.defaults());
    assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", ServerConfig.DEFAULT_PORT, ConfigFixtures.TOKEN));
  }

  @Test
  void needsTheAdminTokenAndFindsKeysInTheDefaultDirectoryOtherwise() {
    ConfigResult result = ConfigLoader.load(FILE, Map.of());
    assertThat(result.errors()).first().isEqualTo(new ConfigError("server.adminToken",
        "environment variable VIGIL_ADMIN_TOKEN is not set (write ${VIGIL_ADMIN_TOKEN:-default} to give a default)"));
    assumeFalse(Files.exists(Path.of("/etc/vigil/keys")), "this machine has keys in the default directory");
    assertThat(result.errors()).hasSize(15);
    assertThat(result.errors().subList(1, 15)).allSatisfy(e -> assertThat(e.toString())
        .matches("targets\\[\\d+]\\.keys\\[0]\\.file: cannot read /etc/vigil/keys/[a-z-]+-(green|blue)\\.pub\\.pem: .*"));
  }
}
