package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.score.TargetId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TargetSeriesTest {
  static final Duration[] BOUNDS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  static final TargetId AUTH = new TargetId("auth-service", "green");
  static final TargetId POLICY = new TargetId("policy-service", "blue");

  static String scrape(TargetSeries s) {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    r.getPrometheusRegistry().register(s);
    return r.scrape();
  }

  static List<String> lines(String text, String name) {
    return Arrays.stream(text.split("\n")).filter(l -> l.contains(name)).collect(Collectors.toList());
  }

  /** The Micrometer meters this collector replaced, fed the same polls: the reference exposition. */
  static final class MicrometerReference {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Map<TargetId, double[]> gauges = new java.util.HashMap<>();

    void record(TargetId id, Verdict v, boolean signed, boolean up, double score, Duration d, boolean restart) {
      Tags tags = Tags.of("service", id.service(), "environment", id.environment());
      double[] g = gauges.computeIfAbsent(id, k -> {
        double[] values = new double[4];
        Gauge.builder("constitutional.hash.valid", values, a -> a[0])
            .description("1 if the last verdict was compliant, else 0").tags(tags).register(registry);
        Gauge.builder("constitutional.compliance.score", values, a -> a[1])
            .description("Share of compliant polls in the scoring window, 0..1").tags(tags).register(registry);
        Gauge.builder("constitutional.attestation.signed", values, a -> a[2])
            .description("1 if the last verdict came from a verified signature").tags(tags).register(registry);
        Gauge.builder("constitutional.target.up", values, a -> a[3])
            .description("1 if the last poll got an HTTP response").tags(tags).register(registry);
        return values;
      });
      g[0] = v == Verdict.COMPLIANT ? 1 : 0;
      g[1] = score;
      g[2] = signed ? 1 : 0;
      g[3] = up ? 1 : 0;
      Counter.builder("constitutional.attestation.checks").description("Finished polls by verdict").tags(tags)
          .tag("result", v.label()).register(registry).increment();
      if (restart) {
        Counter.builder("constitutional.attester.restarts")
            .description("A target's sequence stepped back once (attester restart)").tags(tags).register(registry)
            .increment();
      }
      Timer.builder("constitutional.probe.duration").description("Time of one poll, request to verdict").tags(tags)
          .serviceLevelObjectives(BOUNDS).register(registry).record(d);
    }
  }

  @Nested
  class SameExpositionAsMicrometer {
    @Test
    void gaugesCountersAndTheHistogramReadAsTheMetersTheyReplaced() {
      TargetSeries series = new TargetSeries(BOUNDS, () -> 0);
      MicrometerReference reference = new MicrometerReference();
      Random random = new Random(7);
      Verdict[] verdicts = {Verdict.COMPLIANT, Verdict.HASH_MISMATCH, Verdict.UNREACHABLE, Verdict.TIMEOUT};
      for (int i = 0; i < 500; i++) {
        TargetId id = random.nextBoolean() ? AUTH : POLICY;
        Verdict v = verdicts[random.nextInt(verdicts.length)];
        boolean signed = random.nextBoolean();
        boolean up = random.nextBoolean();
        double score = random.nextInt(101) / 100.0;
        // Bucket edges exactly, and values between them.
        Duration d = random.nextBoolean() ? BOUNDS[random.nextInt(BOUNDS.length)]
            : Duration.ofNanos((long) (random.nextDouble() * 12e9));
        boolean restart = id.equals(AUTH) && random.nextInt(50) == 0;
        series.record(id, v, signed, up, score, d, restart);
        reference.record(id, v, signed, up, score, d, restart);
      }
      String ours = scrape(series);
      String theirs = reference.registry.scrape();
      for (String name : List.of("constitutional_hash_valid", "constitutional_compliance_score",
          "constitutional_attestation_signed", "constitutional_target_up", "constitutional_attestation_checks_total",
          "constitutional_attester_restarts_total", "constitutional_probe_duration_seconds_bucket",
          "constitutional_probe_duration_seconds_count", "constitutional_probe_duration_seconds_sum")) {
        assertThat(lines(ours, name)).as(name).isNotEmpty().containsExactlyInAnyOrderElementsOf(lines(theirs, name));
      }
      assertThat(lines(ours, "constitutional_probe_duration_seconds_max"))
          .as("max within one window, help and type").containsExactlyInAnyOrderElementsOf(
              lines(theirs, "constitutional_probe_duration_seconds_max"));
      assertThat(lines(ours, "# ")).containsExactlyInAnyOrderElementsOf(lines(theirs, "# "));
    }

    @Test
    void noSeriesBeforeTheFirstPoll() {
      TargetSeries series = new TargetSeries(BOUNDS, () -> 0);
      assertThat(scrape(series)).doesNotContain("constitutional_");
    }
  }

  @Nested
  class TimeWindowMax {
    @Test
    void theLargestDurationOfTheLastOneToTwoMinutes() {
      AtomicLong now = new AtomicLong(0);
      TargetSeries series = new TargetSeries(BOUNDS, now::get);
      series.record(AUTH, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(800), false);
      series.record(AUTH, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(20), false);
      assertThat(max(series)).isEqualTo("0.8");
      now.set(TargetSeries.MAX_SLOT_MILLIS + 1);
      series.record(AUTH, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(30), false);
      assertThat(max(series)).as("the previous slot still counts").isEqualTo("0.8");
      now.set(2 * TargetSeries.MAX_SLOT_MILLIS + 1);
      assertThat(max(series)).as("only the previous slot's 30 ms is left").isEqualTo("0.03");
      now.set(5 * TargetSeries.MAX_SLOT_MILLIS);
      assertThat(max(series)).isEqualTo("0.0");
    }

    private String max(TargetSeries series) {
      String line = lines(scrape(series), "constitutional_probe_duration_seconds_max{").get(0);
      return line.substring(line.lastIndexOf(' ') + 1);
    }
  }

  @Nested
  class Targets {
    @Test
    void retainDropsTheSeriesOfRemovedTargets() {
      TargetSeries series = new TargetSeries(BOUNDS, () -> 0);
      series.record(AUTH, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(3), false);
      series.record(POLICY, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(3), false);
      series.retain(Set.of(POLICY));
      assertThat(series.size()).isEqualTo(1);
      assertThat(scrape(series)).doesNotContain("auth-service").contains("policy-service");
    }

    @Test
    void tlsRelaxedHasASeriesPerTargetBeforeAnyPoll() {
      TargetSeries series = new TargetSeries(BOUNDS, () -> 0);
      series.setTlsRelaxed(List.of(AUTH, POLICY), Set.of(POLICY));
      assertThat(lines(scrape(series), "constitutional_tls_verification_relaxed{")).containsExactlyInAnyOrder(
          "constitutional_tls_verification_relaxed{environment=\"green\",service=\"auth-service\"} 0.0",
          "constitutional_tls_verification_relaxed{environment=\"blue\",service=\"policy-service\"} 1.0");
      series.setTlsRelaxed(List.of(POLICY), Set.of());
      assertThat(scrape(series)).doesNotContain("auth-service");
    }

    @Test
    void hostileLabelValuesAreEscapedByTheExposition() {
      TargetSeries series = new TargetSeries(BOUNDS, () -> 0);
      series.record(new TargetId("a\"b\\c", "green"), Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(3), false);
      assertThat(scrape(series)).contains("service=\"a\\\"b\\\\c\"");
    }
  }

  @Nested
  class Consistency {
    @Test
    void aScrapeDuringRecordingNeverSeesBucketsAndCountDisagree() throws Exception {
      TargetSeries series = new TargetSeries(BOUNDS, () -> 0);
      series.record(AUTH, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(1), false);
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        long i = 0;
        while (!stop.get()) {
          series.record(AUTH, Verdict.COMPLIANT, true, true, 1, Duration.ofMillis(i++ % 3000), false);
        }
      });
      writer.start();
      try {
        for (int k = 0; k < 200; k++) {
          String text = scrape(series);
          String inf = lines(text, "le=\"+Inf\"").get(0);
          String count = lines(text, "constitutional_probe_duration_seconds_count{").get(0);
          assertThat(inf.substring(inf.lastIndexOf(' '))).isEqualTo(count.substring(count.lastIndexOf(' ')));
        }
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }
}
