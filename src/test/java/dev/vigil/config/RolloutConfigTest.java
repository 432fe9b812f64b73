package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout}: defaults, given values, and every bad value named at its YAML path. */
class RolloutConfigTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  private RolloutConfig read(String section) {
    return valid(withMinimalTargets(section), dir).rollout();
  }

  private List<String> bad(String section) {
    return errors(withMinimalTargets(section), dir);
  }

  @Nested
  class Defaults {
    @Test
    void absentSectionIsTheSeedPlan() {
      RolloutConfig r = read("");
      assertThat(r).isEqualTo(RolloutConfig.defaults());
      assertThat(r.steps()).containsExactly(10, 50, 90, 100);
      assertThat(r.stepInterval()).isEqualTo(Duration.ofSeconds(60));
      assertThat(r.failureLimit()).isEqualTo(2);
      assertThat(r.attestations()).isEqualTo(3);
      assertThat(r.order()).containsExactly("auth-service", "constitutional-ai-service", "integrity-service",
          "formal-verification-service", "governance-synthesis-service", "policy-governance-service",
          "executive-council-service");
      assertThat(r.from()).isEqualTo("blue");
      assertThat(r.to()).isEqualTo("green");
      assertThat(r.prometheus()).isNull();
      assertThat(r.topic()).isEqualTo("constitutional.rollouts");
      assertThat(RolloutConfig.requirements(valid(withMinimalTargets(""), dir))).isEmpty();
    }
  }

  @Nested
  class Given {
    @Test
    void everyKeyIsRead() {
      RolloutConfig r = read("""
          rollout:
            steps: [25, 100]
            stepInterval: 5s
            analysisInterval: 1s
            failureLimit: 3
            manualGates: [100]
            order: [integrity-service, auth-service]
            direction: {from: blue, to: green}
            topic: migrations
            analysis:
              attestations: {count: 2}
              slo: {enabled: false}
              prometheus:
                url: http://127.0.0.1:9090
                bearerToken: t0ken
                timeout: 2s
                inconclusiveLimit: 4
                queries:
                  - {name: p95, query: 'x{service="{{service}}",env="{{environment}}"}', max: 2}
                  - {name: rps, query: 'vector(1)', min: 0.5, max: 10}
          """);
      assertThat(r.steps()).containsExactly(25, 100);
      assertThat(r.stepInterval()).isEqualTo(Duration.ofSeconds(5));
      assertThat(r.analysisInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(r.failureLimit()).isEqualTo(3);
      assertThat(r.manualGates()).isEqualTo(Set.of(100));
      assertThat(r.order()).containsExactly("integrity-service", "auth-service");
      assertThat(r.attestations()).isEqualTo(2);
      assertThat(r.topic()).isEqualTo("migrations");
      assertThat(r.slo()).isFalse();
      RolloutConfig.Prometheus p = r.prometheus();
      assertThat(p.url()).isEqualTo(URI.create("http://127.0.0.1:9090"));
      assertThat(p.bearerToken()).isEqualTo("t0ken");
      assertThat(p.toString()).doesNotContain("t0ken");
      assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(p.inconclusiveLimit()).isEqualTo(4);
      assertThat(p.queries()).containsExactly(
          new RolloutConfig.Query("p95", "x{service=\"{{service}}\",env=\"{{environment}}\"}", null, 2.0),
          new RolloutConfig.Query("rps", "vector(1)", 0.5, 10.0));
      assertThat(p.queries().get(0).expand("auth-service", "green"))
          .isEqualTo("x{service=\"auth-service\",env=\"green\"}");
    }
  }

  @Nested
  class Steps {
    @Test
    void notEndingAt100IsRefused() {
      assertThat(bad("rollout: {steps: [10, 50, 90]}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.steps").contains("must end at 100"));
    }

    @Test
    void notStrictlyIncreasingIsRefusedAtTheItem() {
      assertThat(bad("rollout: {steps: [10, 50, 50, 100]}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.steps[2]").contains("strictly increasing"));
      assertThat(bad("rollout: {steps: [50, 10, 100]}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.steps[1]").contains("strictly increasing"));
    }

    @Test
    void outOfRangeOrEmptyIsRefused() {
      assertThat(bad("rollout: {steps: [0, 100]}")).anySatisfy(e -> assertThat(e).contains("rollout.steps[0]"));
      assertThat(bad("rollout: {steps: [10, 101]}")).anySatisfy(e -> assertThat(e).contains("rollout.steps[1]"));
      assertThat(bad("rollout: {steps: []}")).anySatisfy(e -> assertThat(e).contains("rollout.steps"));
      assertThat(bad("rollout: {steps: 100}")).anySatisfy(e -> assertThat(e).contains("rollout.steps"));
    }

    @Test
    void aManualGateMustBeAStep() {
      assertThat(bad("rollout: {manualGates: [60]}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.manualGates[0]").contains("not one of the steps"));
    }
  }

  @Nested
  class BadValues {
    @Test
    void durationsAndLimits() {
      assertThat(bad("rollout: {stepInterval: 0s}")).anySatisfy(e -> assertThat(e).contains("rollout.stepInterval"));
      assertThat(bad("rollout: {analysisInterval: 5}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysisInterval"));
      assertThat(bad("rollout: {failureLimit: 0}")).anySatisfy(e -> assertThat(e).contains("rollout.failureLimit"));
      assertThat(bad("rollout: {analysis: {attestations: {count: 0}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.attestations.count"));
      assertThat(bad("rollout: {analysis: {slo: {enabled: maybe}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.slo.enabled"));
    }

    @Test
    void unknownKeysAreNamed() {
      assertThat(bad("rollout: {topic: 'a b'}")).anySatisfy(e -> assertThat(e).contains("rollout.topic"));
      assertThat(bad("rollout: {stepz: [100]}")).anySatisfy(e -> assertThat(e).contains("rollout.stepz"));
      assertThat(bad("rollout: {analysis: {promql: {}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.promql"));
    }

    @Test
    void orderAndDirection() {
      assertThat(bad("rollout: {order: [auth-service, auth-service]}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.order[1]").contains("twice"));
      assertThat(bad("rollout: {order: ['bad name']}")).anySatisfy(e -> assertThat(e).contains("rollout.order[0]"));
      assertThat(bad("rollout: {direction: {from: green, to: green}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.direction.to").contains("must differ"));
    }

    @Test
    void aDirectionThatIsNotTheRollbackReversedIsRefusedForAController() {
      VigilConfig c = valid(withMinimalTargets("rollout: {direction: {from: green, to: blue}}"), dir);
      assertThat(RolloutConfig.requirements(c)).singleElement()
          .satisfies(e -> assertThat(e.toString()).contains("rollout.direction").contains("reversed"));
    }

    @Test
    void prometheus() {
      assertThat(bad("rollout: {analysis: {prometheus: {queries: [{name: a, query: q, max: 1}]}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.url").contains("required"));
      assertThat(bad("rollout: {analysis: {prometheus: {url: 'ftp://x', queries: [{name: a, query: q, max: 1}]}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.url"));
      assertThat(bad("rollout: {analysis: {prometheus: {url: 'http://p:9090'}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries").contains("required"));
      assertThat(bad("rollout: {analysis: {prometheus: {url: 'http://p:9090', queries: []}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries").contains("at least one"));
      String q = "rollout: {analysis: {prometheus: {url: 'http://p:9090', queries: [%s]}}}";
      assertThat(bad(q.formatted("{name: a, query: q}")))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries[0].max").contains("min, max"));
      assertThat(bad(q.formatted("{name: a, query: q, min: 2, max: 1}")))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries[0].max"));
      assertThat(bad(q.formatted("{name: 'A b', query: q, max: 1}")))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries[0].name"));
      assertThat(bad(q.formatted("{name: a, query: q, max: 1}, {name: a, query: r, max: 1}")))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries[1].name").contains("twice"));
      assertThat(bad(q.formatted("{name: a, query: '  ', max: 1}")))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.queries[0].query"));
      assertThat(bad("rollout: {analysis: {prometheus: {url: 'http://p:9090', tls: {verifyHostname: false},"
          + " queries: [{name: a, query: q, max: 1}]}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.tls").contains("https"));
      assertThat(bad("rollout: {analysis: {prometheus: {url: 'http://p:9090', inconclusiveLimit: 0,"
          + " queries: [{name: a, query: q, max: 1}]}}}"))
          .anySatisfy(e -> assertThat(e).contains("rollout.analysis.prometheus.inconclusiveLimit"));
    }
  }
}
