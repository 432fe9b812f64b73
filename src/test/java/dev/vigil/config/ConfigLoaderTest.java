package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.CERT_FROM;
import static dev.vigil.config.ConfigFixtures.DIGEST;
import static dev.vigil.config.ConfigFixtures.ED1;
import static dev.vigil.config.ConfigFixtures.ED2;
import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.TOKEN;
import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Scheme;
import dev.vigil.attest.TrustedKey;
import dev.vigil.config.TargetConfig.Mode;
import dev.vigil.score.Rule;
import dev.vigil.score.RuleKind;
import dev.vigil.score.Severity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
    ConfigFixtures.write(dir.resolve("tls/ca.pem"), "ca");
    ConfigFixtures.write(dir.resolve("tls/client.pem"), "cert");
    ConfigFixtures.write(dir.resolve("tls/client.key"), "key");
  }

  @Nested
  class FullConfig {
    static final String YAML = """
        monitorId: monitor-eu-1
        server:
          host: 127.0.0.1
          port: 0
          adminToken: s3cret-admin-token-0123456789
        polling:
          interval: 10s
          timeout: 2s
          retries: 3
          retryBackoff: 100ms
          concurrency: 64
          jitter: 0.25
          partitionThreshold: 0.9
          partitionMinTargets: 5
          maxResponseBytes: 4096
        scoring:
          window: 5m
        policies:
          default:
            expectedHash: cdd01ef066bc6cf2
            pinnedDigest: %s
            requireSignature: true
            maxClockSkew: 30s
          blue:
            expectedHash: 0000aaaa1111bbbb
        rules:
          compliance_score:
            threshold: 0.9
            consecutive: 2
          throughput:
            enabled: false
          my_extra_rule:
            kind: error_rate
            threshold: 0.05
            window: 60s
            consecutive: 1
            severity: warning
        targets:
          - service: auth-service
            environment: green
            url: https://auth.example:8443/
            attestationPath: /v1/attestation
            mode: attestation
            interval: 20s
            timeout: 3s
            retries: 1
            threshold: 2
            keys:
              - file: ed1.pub.pem
                scheme: ed25519
                notBefore: 2026-01-01T00:00:00Z
                notAfter: 2027-01-01T00:00:00+01:00
                scope: [auth-service, integrity-service]
              - file: ed2.pub.pem
                revoked: true
            tls:
              caFile: tls/ca.pem
              certFile: tls/client.pem
              keyFile: tls/client.key
              verifyHostname: false
          - service: auth-service
            environment: blue
            url: http://127.0.0.1:8000
            mode: legacy-health
        """.formatted(DIGEST);

    @Test
    void everySectionMapsToItsRecord() {
      VigilConfig c = valid(YAML, dir);
      assertThat(c.monitorId()).isEqualTo("monitor-eu-1");
      assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 0, TOKEN));
      assertThat(c.polling()).isEqualTo(new PollingConfig(Duration.ofSeconds(10), Duration.ofSeconds(2), 3,
          Duration.ofMillis(100), 64, 0.25, 0.9, 5, 4096));
      assertThat(c.scoring()).isEqualTo(new ScoringConfig(Duration.ofMinutes(5)));
      PolicyConfig def = new PolicyConfig("cdd01ef066bc6cf2", DIGEST, true, Duration.ofSeconds(30));
      assertThat(c.defaultPolicy()).isEqualTo(def);
      assertThat(c.policies()).containsExactly(Map.entry("blue",
          new PolicyConfig("0000aaaa1111bbbb", DIGEST, true, Duration.ofSeconds(30))));
      assertThat(c.policyFor("green")).isEqualTo(def);
    }

    @Test
    void rulesOverrideTheBuiltInsFieldByFieldAndAddNewOnesLast() {
      List<Rule> rules = valid(YAML, dir).rules();
      assertThat(rules).extracting(Rule::name).containsExactly("hash_mismatch", "integrity", "compliance_score",
          "availability", "latency_p95", "error_rate", "throughput", "my_extra_rule");
      assertThat(rules.get(2)).isEqualTo(new Rule("compliance_score", RuleKind.COMPLIANCE_SCORE, true, 0.9,
          Duration.ofSeconds(180), 2, Severity.CRITICAL));
      assertThat(rules.get(6)).isEqualTo(new Rule("throughput", RuleKind.THROUGHPUT, false, 100,
          Duration.ofSeconds(300), 3, Severity.WARNING));
      assertThat(rules.get(7)).isEqualTo(new Rule("my_extra_rule", RuleKind.ERROR_RATE, true, 0.05,
          Duration.ofSeconds(60), 1, Severity.WARNING));
      assertThat(rules.subList(0, 2)).isEqualTo(Rule.defaults().subList(0, 2));
    }

    @Test
    void targetsGetTheirKeysAndTls() {
      List<TargetConfig> targets = valid(YAML, dir).targets();
      assertThat(targets).hasSize(2);
      TargetConfig green = targets.get(0);
      assertThat(green.url()).isEqualTo(URI.create("https://auth.example:8443"));
      assertThat(green).extracting(TargetConfig::service, TargetConfig::environment, TargetConfig::attestationPath,
          TargetConfig::mode, TargetConfig::interval, TargetConfig::timeout, TargetConfig::retries,
          TargetConfig::threshold)
          .containsExactly("auth-service", "green", "/v1/attestation", Mode.ATTESTATION, Duration.ofSeconds(20),
              Duration.ofSeconds(3), 1, 2);
      assertThat(green.tls()).isEqualTo(new TlsConfig(dir.resolve("tls/ca.pem"), dir.resolve("tls/client.pem"),
          dir.resolve("tls/client.key"), false));
      assertThat(green.keys()).extracting(KeyConfig::source)
          .containsExactly(dir.resolve("ed1.pub.pem").toString(), dir.resolve("ed2.pub.pem").toString());
      assertThat(green.keys().get(0).key()).usingRecursiveComparison().ignoringFields("publicKey")
          .isEqualTo(new TrustedKey(ED1.keyId(), Scheme.ED25519,
          ED1.publicKey().key(), CERT_FROM, Instant.parse("2026-12-31T23:00:00Z"), false,
          Set.of("auth-service", "integrity-service")));
      assertThat(green.keys().get(1).key()).usingRecursiveComparison().ignoringFields("publicKey")
          .isEqualTo(new TrustedKey(ED2.keyId(), Scheme.ED25519,
          ED2.publicKey().key(), null, null, true, Set.of("auth-service")));

      TargetConfig blue = targets.get(1);
      assertThat(blue.mode()).isEqualTo(Mode.LEGACY_HEALTH);
      assertThat(blue.keys()).isEmpty();
      assertThat(blue.interval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(blue.timeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(blue.retries()).isEqualTo(3);
      assertThat(blue.tls()).isNull();
    }

    @Test
    void loadReadsTheFileAndResolvesAgainstItsDirectory() {
      Path file = dir.resolve("vigil.yaml");
      ConfigFixtures.write(file, YAML);
      ConfigResult result = ConfigLoader.load(file, Map.of());
      assertThat(result.errors()).isEmpty();
      assertThat(result.orElseThrow()).usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*publicKey")
          .isEqualTo(valid(YAML, dir));
      assertThat(ConfigLoader.loadOrThrow(file).targets()).hasSize(2);
    }
  }

  @Nested
  class Defaults {
    @Test
    void omittedSectionsTakeTheRecordsDefaults() {
      VigilConfig c = valid(MINIMAL, dir);
      assertThat(c.monitorId()).isEqualTo("monitor-0");
      assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 9470, null));
      assertThat(c.polling()).isEqualTo(PollingConfig.defaults());
      assertThat(c.scoring()).isEqualTo(ScoringConfig.defaults());
      assertThat(c.defaultPolicy()).isEqualTo(PolicyConfig.defaults());
      assertThat(c.policies()).isEmpty();
      assertThat(c.rules()).isEqualTo(Rule.defaults());
    }

    @Test
    void targetsInheritPollingAndTheirKeysTheirService() {
      TargetConfig t = valid(withMinimalTargets("polling: {interval: 15s, timeout: 1s, retries: 0}"), dir)
          .targets().get(0);
      assertThat(t).extracting(TargetConfig::attestationPath, TargetConfig::mode, TargetConfig::interval,
          TargetConfig::timeout, TargetConfig::retries, TargetConfig::threshold, TargetConfig::tls)
          .containsExactly("/attestation", Mode.ATTESTATION, Duration.ofSeconds(15), Duration.ofSeconds(1), 0, 1,
              null);
      assertThat(t.keys().get(0).key()).usingRecursiveComparison().ignoringFields("publicKey")
          .isEqualTo(ED1.trusted().withScope(Set.of("auth-service")));
    }

    @Test
    void emptySectionsAndYamlNullsMeanDefaults() {
      VigilConfig c = valid(withMinimalTargets("server:\npolling: {}\nrules: {}\npolicies:\n  default:\n"), dir);
      assertThat(c.server().port()).isEqualTo(ServerConfig.DEFAULT_PORT);
      assertThat(c.polling()).isEqualTo(PollingConfig.defaults());
      assertThat(c.rules()).isEqualTo(Rule.defaults());
      assertThat(c.defaultPolicy()).isEqualTo(PolicyConfig.defaults());
    }

    @Test
    void environmentPoliciesInheritFromDefault() {
      VigilConfig c = valid(withMinimalTargets("""
          policies:
            default: {expectedHash: abc123, requireSignature: false, maxClockSkew: 2m}
            green: {maxClockSkew: 10s}
          """), dir);
      assertThat(c.policyFor("green")).isEqualTo(new PolicyConfig("abc123", null, false, Duration.ofSeconds(10)));
      assertThat(c.policyFor("blue")).isEqualTo(new PolicyConfig("abc123", null, false, Duration.ofMinutes(2)));
    }

    @Test
    void keysAreOptionalWithoutRequiredSignaturesOrInLegacyMode() {
      String bare = "  - service: auth-service\n    environment: %s\n    url: http://127.0.0.1:8000\n";
      VigilConfig c = valid("policies:\n  blue: {requireSignature: false}\ntargets:\n"
          + bare.formatted("blue") + bare.formatted("green") + "    mode: legacy-health\n", dir);
      assertThat(c.targets()).allSatisfy(t -> assertThat(t.keys()).isEmpty());
    }

    @Test
    void theAdminTokenIsNeverShown() {
      ServerConfig server = valid(withMinimalTargets("server: {adminToken: " + TOKEN + "}"), dir).server();
      assertThat(server.adminToken()).isEqualTo(TOKEN);
      assertThat(server.toString()).doesNotContain(TOKEN);
    }
  }

  @Nested
  class Results {
    @Test
    void anInvalidResultThrowsWithEveryError() {
      ConfigResult result = ConfigFixtures.parse(withMinimalTargets("server: {port: -1}\nmonitorId: ' '"), dir);
      assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
      assertThat(result.isValid()).isFalse();
      assertThatThrownBy(result::orElseThrow).isInstanceOf(ConfigException.class)
          .hasMessageContaining("2 errors")
          .hasMessageContaining("monitorId: use letters")
          .hasMessageContaining("server.port: must be from 0 to 65535, got -1")
          .satisfies(e -> assertThat(((ConfigException) e).errors()).hasSize(2));
    }

    @Test
    void loadOrThrowNamesTheFile() {
      Path file = dir.resolve("bad.yaml");
      ConfigFixtures.write(file, "monitorId: x\n");
      assertThatThrownBy(() -> ConfigLoader.loadOrThrow(file)).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(file + ": invalid configuration (1 error)")
          .hasMessageContaining("targets: required");
    }

    @Test
    void aMissingFileIsAnError() {
      Path file = dir.resolve("nope.yaml");
      assertThat(ConfigLoader.load(file, Map.of()).errors()).extracting(ConfigError::toString)
          .containsExactly("cannot read " + file + ": no such file");
    }

    @Test
    void errorsPrintAsPathAndMessage() {
      assertThat(new ConfigError("targets[0].interval", "bad")).hasToString("targets[0].interval: bad");
      assertThat(new ConfigError("", "not valid YAML")).hasToString("not valid YAML");
    }

    @Test
    void errorsComeInDocumentOrder() {
      assertThat(errors(withMinimalTargets("monitorId: ' '\nserver: {port: x}\npolling: {retries: x}"), dir))
          .extracting(s -> s.substring(0, s.indexOf(':')))
          .containsExactly("monitorId", "server.port", "polling.retries");
    }
  }
}
