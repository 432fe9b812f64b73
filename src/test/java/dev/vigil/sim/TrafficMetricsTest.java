package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.score.TargetId;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The instances' traffic as Prometheus metrics, advanced with explicit times. */
class TrafficMetricsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TrafficRouter router = new TrafficRouter(List.of("auth-service"));
  private final Instance green = instance("green");
  private final Instance blue = instance("blue");
  private final List<Instance> both = List.of(green, blue);
  private final TrafficMetrics metrics = new TrafficMetrics(router, 1000);

  private static Instance instance(String environment) {
    return new Instance(new TargetId("auth-service", environment), Keys.generate(Scheme.ED25519, RANDOM), "");
  }

  @AfterEach
  void close() {
    metrics.close();
  }

  /** The value of the sample {@code name} whose labels include {@code labels}, or NaN when absent. */
  static double sample(String scrape, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
    while (m.find()) {
      boolean all = true;
      for (String l : labels.split(",")) {
        all &= ("," + m.group(1) + ",").contains("," + l + ",");
      }
      if (all) {
        return Double.parseDouble(m.group(2));
      }
    }
    return Double.NaN;
  }

  private double requests(String environment, String status) {
    return sample(metrics.scrape(), "vigil_sim_requests_total",
        "environment=\"" + environment + "\",service=\"auth-service\",status_class=\"" + status + "\"");
  }

  private double bucket(String environment, String le) {
    return sample(metrics.scrape(), "vigil_sim_request_duration_seconds_bucket",
        "environment=\"" + environment + "\",le=\"" + le + "\",service=\"auth-service\"");
  }

  @Nested
  class Counting {
    @Test
    void theFirstAdvanceStartsTheClockAndTheRouterSplitsTheLoad() {
      metrics.advance(T0, both);
      router.set("auth-service", new TrafficRouter.Split(10, 90));
      metrics.advance(T0.plusSeconds(10), both);
      assertThat(requests("green", "2xx") + requests("green", "5xx")).isEqualTo(1000);
      assertThat(requests("blue", "2xx") + requests("blue", "5xx")).isEqualTo(9000);
      assertThat(requests("blue", "5xx")).isEqualTo(9);
    }

    @Test
    void aSideWithoutTrafficStillHasItsSeries() {
      metrics.advance(T0, both);
      metrics.advance(T0.plusSeconds(5), both);
      assertThat(requests("blue", "2xx")).isZero();
      assertThat(bucket("blue", "+Inf")).isZero();
    }

    @Test
    void timeGoingBackwardsOrStandingStillCountsNothing() {
      metrics.advance(T0, both);
      metrics.advance(T0.plusSeconds(2), both);
      metrics.advance(T0.plusSeconds(1), both);
      metrics.advance(T0.plusSeconds(2), both);
      assertThat(requests("green", "2xx") + requests("green", "5xx")).isEqualTo(2000);
    }

    @Test
    void errorFaultsShowAsFiveHundreds() {
      metrics.advance(T0, both);
      green.fault(FaultSetting.of(Fault.HIGH_ERROR_RATE));
      metrics.advance(T0.plusSeconds(10), both);
      assertThat(requests("green", "5xx")).isEqualTo(2000);
      assertThat(requests("green", "2xx")).isEqualTo(8000);
    }

    @Test
    void theLoadCanChangeAndIsBounded() {
      metrics.rps(0);
      metrics.advance(T0, both);
      metrics.advance(T0.plusSeconds(10), both);
      assertThat(requests("green", "2xx")).isNaN();
      assertThatThrownBy(() -> metrics.rps(-1)).hasMessageContaining("between 0 and 1000000");
      assertThatThrownBy(() -> metrics.rps(Double.NaN)).hasMessageContaining("got NaN");
    }
  }

  @Nested
  class Latency {
    @Test
    void theHistogramPutsTheP95WhereTheProfileSays() {
      metrics.advance(T0, both);
      metrics.advance(T0.plusSeconds(1), both);
      // base latency 120..200 ms: 95 % of the requests at or below 0.2 s, none above 0.3 s
      double all = bucket("green", "+Inf");
      assertThat(all).isEqualTo(1000);
      assertThat(bucket("green", "0.2")).isGreaterThanOrEqualTo(950);
      assertThat(bucket("green", "0.3")).isEqualTo(1000);
    }

    @Test
    void slowTrafficMovesTheHistogramAboveTheSloWithoutTouchingTheReport() {
      metrics.advance(T0, both);
      green.fault(FaultSetting.of(Fault.SLOW_TRAFFIC));
      metrics.advance(T0.plusSeconds(1), both);
      // p95 3 s above the base: far fewer than 95 % of the requests within the 2 s SLO
      assertThat(bucket("green", "2.0")).isLessThan(700);
      assertThat(bucket("green", "+Inf") - bucket("green", "3.0")).isGreaterThan(50);
    }
  }
}
