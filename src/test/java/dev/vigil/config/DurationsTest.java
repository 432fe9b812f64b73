package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations as users type them: Prometheus's forms, compounds included, and ISO-8601. */
class DurationsTest {
  @Nested
  class Accepted {
    @Test
    void singleUnits() {
      assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
      assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
      assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
      assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
      assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
      assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
      assertThat(Durations.parse("1y")).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void compoundsInDescendingOrder() {
      assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
      assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
      assertThat(Durations.parse("1d12h")).isEqualTo(Duration.ofHours(36));
      assertThat(Durations.parse("1s500ms")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void isoAndSurroundingBlanks() {
      assertThat(Durations.parse(" PT30S ")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void formatReadsBack() {
      for (String s : new String[] {"500ms", "30s", "2m", "1h", "90s"}) {
        assertThat(Durations.parse(Durations.format(Durations.parse(s)))).isEqualTo(Durations.parse(s));
      }
    }
  }

  @Nested
  class Refused {
    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "30", "30sec", "30s1m", "1m1m", "-5s", "1.5s", "1 m", "9999999999s"})
    void withAMessageSayingWhatIsAccepted(String text) {
      assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("500ms");
    }

    @Test
    void negativeIsoDurationsSaySo() {
      assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessage("duration 'PT-5S' is negative");
    }
  }
}
