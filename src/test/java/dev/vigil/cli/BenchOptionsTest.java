package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The benchmark commands refuse bad options before starting anything: exit 2, naming the option. */
class BenchOptionsTest {

  @Nested
  class Fleet {
    @Test
    void aZeroEvidenceSampleIsAUsageError() {
      Cli.Result r = Cli.run("bench", "fleet", "--evidence-sample", "0s");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--evidence-sample must be positive");
    }

    @Test
    void aZeroHeapSampleIntervalIsAUsageError() {
      Cli.Result r = Cli.run("bench", "fleet", "--heap-every", "0s");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--heap-every must be positive");
    }

    @Test
    void helpNamesWarmupEvidenceSampleHeapEveryAndLegacy() {
      Cli.Result r = Cli.run("bench", "fleet", "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("--warmup=DURATION").contains("--evidence-sample=DURATION")
          .contains("--heap-every=DURATION").contains("--legacy");
    }
  }

  @Nested
  class Group {
    @Test
    void helpNamesWarmup() {
      Cli.Result r = Cli.run("bench", "group", "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("--warmup=DURATION");
    }
  }
}
