package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.bareTarget;
import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.key;
import static dev.vigil.config.ConfigFixtures.target;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field with bad input gives exactly one error, at its exact path; unknown keys; many errors at once. */
class ConfigValidationTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  static Stream<Arguments> badFields() {
    return Stream.of(
        arguments("monitorId", withMinimalTargets("monitorId: 'two words'"), "use letters, digits"),
        arguments("monitorId", withMinimalTargets("monitorId: 42"), "expected a string, got the number 42; put it in quotes"),
        arguments("server.host", withMinimalTargets("server: {host: ''}"), "without spaces"),
        arguments("server.port", withMinimalTargets("server: {port: 70000}"), "must be from 0 to 65535, got 70000"),
        arguments("server.port", withMinimalTargets("server: {port: http}"), "expected an integer from 0 to 65535, got 'http'"),
        arguments("server.port", withMinimalTargets("server: {port: 80.5}"), "expected an integer from 0 to 65535, got the number 80.5"),
        arguments("server.adminToken", withMinimalTargets("server: {adminToken: short}"), "at least 16 characters"),
        arguments("server.maxConnections", withMinimalTargets("server: {maxConnections: 0}"), "must be from 1 to 100000"),
        arguments("server.idleTimeout", withMinimalTargets("server: {idleTimeout: 500ms}"), "must be at least 1s, got 500ms"),
        arguments("server.requestTimeout", withMinimalTargets("server: {requestTimeout: later}"), "'later' is not a duration"),
        arguments("overload.eventLoopDelay", withMinimalTargets("overload: {eventLoopDelay: 0s}"), "must be greater than 0"),
        arguments("overload.workerQueueWait", withMinimalTargets("overload: {workerQueueWait: 5}"), "got the number 5; add a unit"),
        arguments("overload.sampleInterval", withMinimalTargets("overload: {sampleInterval: 1ms}"), "must be from 10ms to 10s, got 1ms"),
        arguments("overload.loopDelay", withMinimalTargets("overload: {loopDelay: 1s}"), "unknown key"),
        arguments("polling.interval", withMinimalTargets("polling: {interval: 50ms}"), "must be at least 100ms, got 50ms"),
        arguments("polling.interval", withMinimalTargets("polling: {interval: 30}"), "got the number 30; add a unit"),
        arguments("polling.interval", withMinimalTargets("polling: {interval: 3s}"), "must be greater than the timeout (5s)"),
        arguments("polling.timeout", withMinimalTargets("polling: {timeout: 0s}"), "must be greater than 0"),
        arguments("polling.timeout", withMinimalTargets("polling: {timeout: 40s}"), "must be less than the interval (30s), got 40s"),
        arguments("polling.retries", withMinimalTargets("polling: {retries: 11}"), "must be from 0 to 10, got 11"),
        arguments("polling.retryBackoff", withMinimalTargets("polling: {retryBackoff: soon}"), "'soon' is not a duration"),
        arguments("polling.concurrency", withMinimalTargets("polling: {concurrency: 0}"), "must be from 1 to 100000"),
        arguments("polling.jitter", withMinimalTargets("polling: {jitter: 1.5}"), "must be from 0 to 1, got 1.5"),
        arguments("polling.jitter", withMinimalTargets("polling: {jitter: lots}"), "expected a number, got 'lots'"),
        arguments("polling.partitionThreshold", withMinimalTargets("polling: {partitionThreshold: 0}"), "greater than 0 and at most 1"),
        arguments("polling.partitionMinTargets", withMinimalTargets("polling: {partitionMinTargets: 0}"), "must be from 1 to 100000"),
        arguments("polling.maxResponseBytes", withMinimalTargets("polling: {maxResponseBytes: 1023}"), "must be from 1024 to 16777216"),
        arguments("scoring.window", withMinimalTargets("scoring: {window: 0s}"), "must be greater than 0"),
        arguments("policies.default.expectedHash", withMinimalTargets("policies: {default: {expectedHash: ''}}"), "non-empty"),
        arguments("policies.default.pinnedDigest", withMinimalTargets("policies: {default: {pinnedDigest: ABCD}}"), "64 lowercase hex"),
        arguments("policies.green.requireSignature", withMinimalTargets("policies: {green: {requireSignature: maybe}}"), "expected true or false, got 'maybe'"),
        arguments("policies.default.maxClockSkew", withMinimalTargets("policies: {default: {maxClockSkew: 0s}}"), "must be greater than 0"),
        arguments("policies.Green", withMinimalTargets("policies: {Green: {}}"), "not an environment name"),
        arguments("policies.default.maxSignatureChecks", withMinimalTargets("policies: {default: {maxSignatureChecks: 0}}"), "must be from 1 to 64, got 0"),
        arguments("policies.green.maxSignatureChecks", withMinimalTargets("policies: {green: {maxSignatureChecks: 65}}"), "must be from 1 to 64, got 65"),
        arguments("targets[0].keys", withMinimalTargets("policies: {green: {maxSignatureChecks: 1}}")
            .replace("      - file: ed1.pub.pem\n", "      - file: ed1.pub.pem\n      - file: ed2.pub.pem\n"),
            "2 keys are more than the policy's maxSignatureChecks (1) for green"),
        arguments("policies", withMinimalTargets("policies: [default]"), "expected a mapping of environment name"),
        arguments("rules.compliance_score.threshold", withMinimalTargets("rules: {compliance_score: {threshold: 1.5}}"), "must be from 0 to 1 for a compliance_score rule"),
        arguments("rules.latency_p95.threshold", withMinimalTargets("rules: {latency_p95: {threshold: -1}}"), "must not be negative"),
        arguments("rules.availability.threshold", withMinimalTargets("rules: {availability: {threshold: high}}"), "expected a number, got 'high'"),
        arguments("rules.error_rate.window", withMinimalTargets("rules: {error_rate: {window: 0s}}"), "must be greater than 0 for a error_rate rule"),
        arguments("rules.throughput.consecutive", withMinimalTargets("rules: {throughput: {consecutive: 0}}"), "must be from 1 to 1000"),
        arguments("rules.integrity.severity", withMinimalTargets("rules: {integrity: {severity: urgent}}"), "unknown severity 'urgent'; expected critical, high or warning"),
        arguments("rules.integrity.enabled", withMinimalTargets("rules: {integrity: {enabled: 2}}"), "expected true or false"),
        arguments("rules.compliance_score.kind", withMinimalTargets("rules: {compliance_score: {kind: error_rate}}"), "give the rule another name"),
        arguments("rules.my_rule.kind", withMinimalTargets("rules: {my_rule: {threshold: 0.5}}"), "required for a rule that is not built in"),
        arguments("rules.my_rule.kind", withMinimalTargets("rules: {my_rule: {kind: cpu}}"), "unknown rule kind 'cpu'; expected one of: hash_mismatch"),
        arguments("rules.My-Rule", withMinimalTargets("rules: {My-Rule: {kind: error_rate}}"), "not a rule name"),
        arguments("rules", withMinimalTargets("rules: [hash_mismatch]"), "expected a mapping of rule name to rule"),
        arguments("targets", "monitorId: m\n", "required: list at least one target"),
        arguments("targets", "targets: []\n", "list at least one target"),
        arguments("targets", "targets: {service: a}\n", "expected a list of targets, got a mapping"),
        arguments("targets[0]", "targets: [auth-service]\n", "expected a target: a mapping"),
        arguments("targets[0].service", MINIMAL.replace("auth-service", "Auth_Service"), "not a valid name"),
        arguments("targets[0].environment", MINIMAL.replace("    environment: green\n", ""), "required"),
        arguments("targets[0].environment", MINIMAL.replace("environment: green", "environment: no"), "got the boolean false; put it in quotes"),
        arguments("targets[0].url", MINIMAL.replace("    url: http://127.0.0.1:8000\n", ""), "required"),
        arguments("targets[0].url", MINIMAL.replace("http://127.0.0.1", "ftp://127.0.0.1"), "must be an http:// or https:// URL"),
        arguments("targets[0].url", MINIMAL.replace("http://127.0.0.1:8000", "http:///x"), "must name a host"),
        arguments("targets[0].url", MINIMAL.replace("http://127.0.0.1", "http://user:pw@127.0.0.1"), "no user info"),
        arguments("targets[0].url", MINIMAL.replace("http://127.0.0.1:8000", "'http://a b'"), "not a URL"),
        arguments("targets[0].attestationPath", target("attestationPath: attestation"), "must start with '/'"),
        arguments("targets[0].attestationPath", target("attestationPath: /a?x=1"), "no query"),
        arguments("targets[0].mode", target("mode: push"), "expected attestation or legacy-health, got 'push'"),
        arguments("targets[0].interval", target("interval: 50ms"), "must be at least 100ms"),
        arguments("targets[0].interval", target("interval: 3s"), "must be greater than the timeout (5s)"),
        arguments("targets[0].timeout", target("timeout: 30s"), "must be less than the interval (30s), got 30s"),
        arguments("targets[0].retries", target("retries: -1"), "must be from 0 to 10, got -1"),
        arguments("targets[0].threshold", target("threshold: 2"), "must be at most the number of keys (1), got 2"),
        arguments("targets[0].threshold", target("threshold: 0"), "must be at least 1, got 0"),
        arguments("targets[0].keys", bareTarget(""), "required in attestation mode: the policy for green requires signatures"),
        arguments("targets[0].keys", bareTarget("keys: []"), "required in attestation mode"),
        arguments("targets[0].keys", bareTarget("keys: ed1.pub.pem"), "expected a list of keys"),
        arguments("targets[0].keys[0]", bareTarget("keys: [ed1.pub.pem]"), "expected a key: a mapping"),
        arguments("targets[0].keys[0].file", bareTarget("keys: [{scheme: ed25519}]"), "required"),
        arguments("targets[0].keys[0].file", MINIMAL.replace("ed1.pub.pem", "missing.pem"), "no such file"),
        arguments("targets[0].keys[0].file", MINIMAL.replace("ed1.pub.pem", "garbage.pem"), "no usable key in"),
        arguments("targets[0].keys[0].scheme", key("scheme: ecdsa-sha2-nistp256"), "is ed25519, not ecdsa-sha2-nistp256"),
        arguments("targets[0].keys[0].scheme", key("scheme: dsa"), "unknown signature scheme 'dsa'"),
        arguments("targets[0].keys[0].notBefore", key("notBefore: yesterday"), "expected an RFC 3339 time"),
        arguments("targets[0].keys[0].notAfter", key("notBefore: 2026-06-01T00:00:00Z\nnotAfter: 2026-01-01T00:00:00Z"), "the validity window is empty"),
        arguments("targets[0].keys[0].revoked", key("revoked: perhaps"), "expected true or false"),
        arguments("targets[0].keys[0].scope", key("scope: []"), "must list at least one service"),
        arguments("targets[0].keys[0].scope", key("scope: [integrity-service]"), "must include the target's service auth-service"),
        arguments("targets[0].keys[0].scope[1]", key("scope: [auth-service, Bad]"), "not a valid service name"),
        arguments("targets[0].keys[1]", MINIMAL + "      - file: ./ed1.pub.pem\n", "the same key as keys[0]"),
        arguments("targets[0].tls", target("tls: {verifyHostname: false}"), "applies only to an https url"),
        arguments("targets[0].tls.caFile", target("tls: {caFile: ca.pem}").replace("http:", "https:"), "cannot read "),
        arguments("targets[0].tls.keyFile", target("tls: {certFile: ed1.pub.pem}").replace("http:", "https:"), "required when certFile is set"),
        arguments("targets[0].tls.certFile", target("tls: {keyFile: ed1.pub.pem}").replace("http:", "https:"), "required when keyFile is set"),
        arguments("targets[0].tls.verifyHostname", target("tls: {verifyHostname: sometimes}").replace("http:", "https:"), "expected true or false"));
  }

  @Nested
  class BadFields {
    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("dev.vigil.config.ConfigValidationTest#badFields")
    void eachIsOneErrorAtItsPath(String path, String yaml, String message) {
      List<ConfigError> errors = ConfigFixtures.parse(yaml, dir).errors();
      assertThat(errors).as("errors of%n%s", yaml).hasSize(1);
      assertThat(errors.get(0).path()).isEqualTo(path);
      assertThat(errors.get(0).message()).contains(message);
    }

    @Test
    void duplicateTargetsNameBothIndexes() {
      String yaml = MINIMAL + MINIMAL.substring(MINIMAL.indexOf("  - service"))
          + MINIMAL.substring(MINIMAL.indexOf("  - service")).replace("green", "blue");
      assertThat(errors(yaml, dir)).containsExactly(
          "targets[1]: duplicate target: targets[0] and targets[1] are both auth-service in green");
    }
  }

  @Nested
  class UnknownKeys {
    @Test
    void everyLevelNamesTheKeyAndWhatIsExpected() {
      String yaml = """
          monitorID: x
          server: {hots: a}
          polling: {intervall: 1s}
          scoring: {windows: 1s}
          policies: {default: {hash: x}}
          rules: {integrity: {threshhold: 1}}
          targets:
            - service: auth-service
              environment: green
              url: https://127.0.0.1:8000
              intervall: 30s
              keys:
                - file: ed1.pub.pem
                  scopes: [a]
              tls: {ca: x}
          """;
      assertThat(errors(yaml, dir)).containsExactly(
          "monitorID: unknown key; expected one of: monitorId, server, polling, scoring, policies, rules, targets, kafka, events, rollback, controller, overload, rollout, state, group, evidence, tracing",
          "server.hots: unknown key; expected one of: host, port, adminToken, maxConnections, idleTimeout, requestTimeout, tls, auth, metricsPort",
          "polling.intervall: unknown key; expected one of: interval, timeout, retries, retryBackoff, concurrency,"
              + " jitter, partitionThreshold, partitionMinTargets, maxResponseBytes",
          "scoring.windows: unknown key; expected one of: window",
          "policies.default.hash: unknown key; expected one of: expectedHash, pinnedDigest, requireSignature,"
              + " maxClockSkew, maxSignatureChecks",
          "rules.integrity.threshhold: unknown key; expected one of: kind, enabled, threshold, window, consecutive,"
              + " severity",
          "targets[0].intervall: unknown key; expected one of: service, environment, url, attestationPath, mode,"
              + " interval, timeout, retries, threshold, keys, tls",
          "targets[0].keys[0].scopes: unknown key; expected one of: file, scheme, notBefore, notAfter, revoked,"
              + " scope",
          "targets[0].tls.ca: unknown key; expected one of: caFile, certFile, keyFile, verifyHostname");
    }

    @Test
    void aSectionThatIsNoMappingIsOneError() {
      assertThat(errors(withMinimalTargets("server: [9470]"), dir))
          .containsExactly("server: expected a mapping with keys host, port, adminToken, maxConnections, idleTimeout, requestTimeout, tls, auth, metricsPort; got a list");
    }
  }

  @Nested
  class ManyErrors {
    @Test
    void allAreReportedNotJustTheFirst() {
      String yaml = """
          server: {port: 99999, adminToken: tiny}
          polling: {retries: 50, jitter: 2}
          rules: {compliance_score: {severity: meh}}
          targets:
            - service: auth-service
              environment: green
              url: gopher://x
              keys: [{file: missing.pem}]
            - service: BAD
              environment: blue
              url: http://127.0.0.1:8001
              interval: soon
              keys: [{file: ed1.pub.pem, scheme: rsassa-pss-sha256}]
          """;
      assertThat(errors(yaml, dir)).extracting(s -> s.substring(0, s.indexOf(": "))).containsExactly(
          "server.port", "server.adminToken", "polling.retries", "polling.jitter", "rules.compliance_score.severity",
          "targets[0].url", "targets[0].keys[0].file", "targets[1].service", "targets[1].interval",
          "targets[1].keys[0].scheme");
    }

    @Test
    void aBadValueDoesNotCascadeIntoChecksThatUseIt() {
      assertThat(errors(withMinimalTargets("polling: {interval: never, timeout: 40s}"), dir))
          .containsExactly("polling.interval: 'never' is not a duration; use e.g. 500ms, 30s, 2m, 1h or PT30S");
      assertThat(errors(target("threshold: 2\nkeys: [{file: missing.pem}, {file: ed2.pub.pem}]")
          .replace("    keys:\n      - file: ed1.pub.pem\n", ""), dir))
          .singleElement().asString().startsWith("targets[0].keys[0].file: cannot read");
    }
  }
}
