package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.score.Severity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rollback} section: defaults when absent, every key read, errors by path and all at once. */
class RollbackConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  private VigilConfig load(String yaml) {
    return ConfigLoader.parse(yaml, dir, Map.of()).orElseThrow();
  }

  @Test
  void absentMeansDefaults() {
    assertThat(load(ConfigFixtures.MINIMAL).rollback()).isEqualTo(RollbackConfig.defaults());
    RollbackConfig d = RollbackConfig.defaults();
    assertThat(d.severities()).containsExactly(Severity.CRITICAL);
    assertThat(d.rules()).isEmpty();
    assertThat(d.validationConsecutive()).isEqualTo(2);
    assertThat(d.validationTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.executionTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(d.critical()).containsExactlyInAnyOrder("auth-service", "constitutional-ai-service",
        "integrity-service", "policy-governance-service");
    assertThat(d.actuatorFor("anything")).isNull();
    assertThat(d.maxEventAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.maxClockSkew()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void eventAgeAndClockSkewAreReadAndChecked() {
    RollbackConfig r = load(withMinimalTargets("rollback: {maxEventAge: 2m, maxClockSkew: 0s}")).rollback();
    assertThat(r.maxEventAge()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.maxClockSkew()).isZero();
    assertThat(errors(withMinimalTargets("rollback: {maxEventAge: 0s, maxClockSkew: PT-1S}"), dir))
        .containsExactlyInAnyOrder("rollback.maxEventAge: must be greater than 0",
            "rollback.maxClockSkew: duration 'PT-1S' is negative");
    assertThat(errors(withMinimalTargets("rollback: {maxEventAge: 2h, dedupRetention: 1h}"), dir)).containsExactly(
        "rollback.maxEventAge: must be less than dedupRetention (1h), or a replay older than the retention would"
            + " roll back again; got 2h");
  }

  @Test
  void everyKeyIsRead() {
    RollbackConfig r = load(withMinimalTargets("""
        rollback:
          rules: [hash_mismatch, integrity]
          severities: [critical, high]
          cooldown: 5m
          blastRadius: {max: 2, window: 15m}
          dryRun: true
          validation: {consecutive: 3, timeout: 30s, interval: 500ms}
          executionTimeout: 90s
          dedupDir: state/rollback
          dedupRetention: 48h
          dependants: {auth-service: [policy-governance-service, executive-council-service]}
          actuators:
            default: {type: simulator, url: "http://127.0.0.1:8099"}
            integrity-service: {type: istio, namespace: acgs, name: acgs-routes, host: integrity-service.acgs.svc.cluster.local}
            auth-service: {type: service, namespace: acgs}
            policy-governance-service: {type: webhook, url: "https://deploy.example/rollback", timeout: 3s}
        """)).rollback();
    assertThat(r.rules()).containsExactlyInAnyOrder("hash_mismatch", "integrity");
    assertThat(r.severities()).containsExactlyInAnyOrder(Severity.CRITICAL, Severity.HIGH);
    assertThat(r.cooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.blastRadiusMax()).isEqualTo(2);
    assertThat(r.blastRadiusWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(r.dryRun()).isTrue();
    assertThat(r.validationConsecutive()).isEqualTo(3);
    assertThat(r.validationTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.validationInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(r.executionTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(r.dedupDir()).isEqualTo(dir.resolve("state/rollback").normalize());
    assertThat(r.dedupRetention()).isEqualTo(Duration.ofHours(48));
    assertThat(r.dependantsOf("auth-service")).containsExactly("policy-governance-service", "executive-council-service");
    assertThat(r.actuatorFor("formal-verification-service").type()).isEqualTo(ActuatorConfig.Type.SIMULATOR);
    assertThat(((ActuatorConfig.Simulator) r.actuatorFor("formal-verification-service")).url())
        .isEqualTo(URI.create("http://127.0.0.1:8099"));
    ActuatorConfig istio = r.actuatorFor("integrity-service");
    assertThat(istio).isEqualTo(new ActuatorConfig.Istio("acgs", "acgs-routes",
        "integrity-service.acgs.svc.cluster.local"));
    assertThat(r.actuatorFor("auth-service").type()).isEqualTo(ActuatorConfig.Type.SERVICE);
    assertThat(r.actuatorFor("auth-service")).isEqualTo(new ActuatorConfig.Service("acgs", null, "environment"));
    assertThat(((ActuatorConfig.Webhook) r.actuatorFor("policy-governance-service")).timeout())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void everyErrorAtItsPathAtOnce() {
    List<String> errors = errors(withMinimalTargets("""
        rollback:
          severities: [urgent]
          cooldown: soon
          blastRadius: {max: 0, window: 0s}
          validation: {consecutive: 0, timeout: 200s}
          executionTimeout: 120s
          rules: []
          from: blue
          to: blue
          colour: green
          actuators:
            default: {type: carrier-pigeon, url: "http://x"}
            integrity-service: {type: istio, url: "http://x"}
            auth-service: {type: webhook}
            policy-governance-service: {type: simulator, url: "ftp://x", namespace: acgs}
        """), dir);
    assertThat(errors).containsExactlyInAnyOrder(
        "rollback.severities[0]: unknown severity 'urgent'; expected critical, high or warning",
        "rollback.cooldown: 'soon' is not a duration; use e.g. 500ms, 30s, 2m, 1h or PT30S",
        "rollback.blastRadius.max: must be from 1 to 100000, got 0",
        "rollback.blastRadius.window: must be greater than 0",
        "rollback.validation.consecutive: must be from 1 to 100, got 0",
        "rollback.executionTimeout: must be greater than the validation timeout (200s), got 2m",
        "rollback.rules: must name at least one; leave 'rules' out for the default",
        "rollback.to: must differ from 'from' (blue)",
        "rollback.colour: unknown key; expected one of: rules, severities, cooldown, blastRadius, dryRun, validation,"
            + " executionTimeout, dedupDir, dedupRetention, maxEventAge, maxClockSkew, from, to, critical, dependants,"
            + " actuators",
        "rollback.actuators.default.type: unknown actuator type 'carrier-pigeon'; expected one of: simulator, istio,"
            + " service, webhook",
        "rollback.actuators.integrity-service.namespace: required",
        "rollback.actuators.integrity-service.url: applies only to the simulator and webhook actuators, not to istio",
        "rollback.actuators.integrity-service.name: required",
        "rollback.actuators.auth-service.url: required",
        "rollback.actuators.policy-governance-service.url: expected an http or https URL, got 'ftp://x'",
        "rollback.actuators.policy-governance-service.namespace: applies only to the istio and service actuators,"
            + " not to simulator");
  }
}
