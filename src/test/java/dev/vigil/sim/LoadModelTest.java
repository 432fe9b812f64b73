package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The synthetic traffic of one instance: pure, the interval is the argument. */
class LoadModelTest {
  private static final double BASE_MS = 150;

  private static LoadModel.Profile profile(int weight, Fault fault) {
    return LoadModel.profile(1200, weight, FaultSetting.of(fault), BASE_MS);
  }

  @Nested
  class Profiles {
    @Test
    void theWeightSharesTheServiceLoad() {
      assertThat(profile(100, Fault.NONE)).isEqualTo(new LoadModel.Profile(1200, BASE_MS, LoadModel.BASE_ERROR_RATE));
      assertThat(profile(50, Fault.NONE).rps()).isEqualTo(600);
      assertThat(profile(10, Fault.NONE).rps()).isEqualTo(120);
      assertThat(profile(0, Fault.NONE).rps()).isZero();
    }

    @Test
    void theSloFaultsMoveTheTrafficAsTheyMoveTheReport() {
      assertThat(profile(100, Fault.HIGH_LATENCY_REPORT).p95Ms()).isEqualTo(5000);
      assertThat(profile(100, Fault.HIGH_ERROR_RATE).errorRate()).isEqualTo(0.2);
      assertThat(profile(100, Fault.LOW_THROUGHPUT).rps()).isEqualTo(10);
      assertThat(profile(0, Fault.LOW_THROUGHPUT).rps()).isZero();
    }

    @Test
    void slowTrafficAddsItsDelayToTheRealLatency() {
      assertThat(profile(50, Fault.SLOW_TRAFFIC)).isEqualTo(new LoadModel.Profile(600, BASE_MS + 3000,
          LoadModel.BASE_ERROR_RATE));
      assertThat(LoadModel.profile(1200, 50, new FaultSetting(Fault.SLOW_TRAFFIC, Duration.ofMillis(2500)), BASE_MS)
          .p95Ms()).isEqualTo(BASE_MS + 2500);
    }

    @Test
    void transportFailuresFailEveryRequest() {
      assertThat(profile(100, Fault.HTTP_500).errorRate()).isEqualTo(1.0);
      assertThat(profile(100, Fault.CONNECTION_REFUSED).errorRate()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"TAMPERED_HASH", "BAD_SIGNATURE", "STALE", "LEGACY", "UNKNOWN_KEY"})
    void attestationFaultsLeaveTheTrafficAlone(Fault fault) {
      assertThat(profile(100, fault)).isEqualTo(profile(100, Fault.NONE));
    }
  }

  @Nested
  class Latencies {
    private final LoadModel.Profile p = new LoadModel.Profile(100, 200, 0);

    @Test
    void theNinetyFifthPercentileIsTheProfilesP95() {
      assertThat(LoadModel.latencyMs(p, 0.95)).isCloseTo(200, within(1e-9));
      assertThat(LoadModel.latencyMs(p, 0.5)).isCloseTo(120, within(1e-9));
      assertThat(LoadModel.latencyMs(p, 0)).isCloseTo(80, within(1e-9));
      assertThat(LoadModel.latencyMs(p, 1)).isCloseTo(300, within(1e-9));
    }

    @Test
    void increasesWithTheQuantileAndClampsOutsideZeroToOne() {
      double previous = -1;
      for (int i = 0; i <= 100; i++) {
        double l = LoadModel.latencyMs(p, i / 100.0);
        assertThat(l).isGreaterThanOrEqualTo(previous);
        previous = l;
      }
      assertThat(LoadModel.latencyMs(p, -3)).isEqualTo(LoadModel.latencyMs(p, 0));
      assertThat(LoadModel.latencyMs(p, 7)).isEqualTo(LoadModel.latencyMs(p, 1));
    }
  }

  @Nested
  class Accumulating {
    @Test
    void fractionsCarrySoThatALongRunServesRateTimesTime() {
      LoadModel.Accumulator a = new LoadModel.Accumulator();
      LoadModel.Profile p = new LoadModel.Profile(3.5, 100, 0.1);
      long requests = 0;
      long errors = 0;
      for (int i = 0; i < 400; i++) {
        LoadModel.Batch b = a.advance(p, Duration.ofMillis(250));
        requests += b.requests();
        errors += b.errors();
        assertThat(b.errors()).isBetween(0L, b.requests());
      }
      assertThat(requests).isEqualTo(350);
      assertThat(errors).isEqualTo(35);
    }

    @Test
    void oneSecondAtTwelveHundredIsTwelveHundredRequests() {
      LoadModel.Batch b = new LoadModel.Accumulator().advance(profile(100, Fault.HIGH_ERROR_RATE), Duration.ofSeconds(1));
      assertThat(b).isEqualTo(new LoadModel.Batch(1200, 240));
      assertThat(b.ok()).isEqualTo(960);
    }

    @Test
    void noTimeOrNoRateIsNoRequest() {
      LoadModel.Accumulator a = new LoadModel.Accumulator();
      assertThat(a.advance(profile(100, Fault.NONE), Duration.ZERO).requests()).isZero();
      assertThat(a.advance(profile(100, Fault.NONE), Duration.ofSeconds(-1)).requests()).isZero();
      assertThat(a.advance(profile(0, Fault.NONE), Duration.ofHours(1)).requests()).isZero();
    }
  }
}
