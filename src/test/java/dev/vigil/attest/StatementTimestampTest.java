package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementTimestampTest {

  @Nested
  class AgreesWithInstantParse {
    @Test
    void onRandomInstantsWithEveryFractionLength() {
      Random r = new Random(42);
      for (int i = 0; i < 20_000; i++) {
        long second = (long) (r.nextDouble() * 253_402_300_799L); // 1970 .. 9999-12-31T23:59:59
        int digits = r.nextInt(10);
        StringBuilder text = new StringBuilder(Instant.ofEpochSecond(second).toString());
        text.setLength(19);
        if (digits > 0) {
          text.append('.');
          for (int d = 0; d < digits; d++) {
            text.append((char) ('0' + r.nextInt(10)));
          }
        }
        text.append('Z');
        String t = text.toString();
        assertThat(Statement.utcFast(t)).as(t).isEqualTo(Instant.parse(t));
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "1969-12-31T23:59:59.5Z",
        "2026-12-02T12:00:00.000Z"})
    void onEdges(String t) {
      assertThat(Statement.utcFast(t)).isEqualTo(Instant.parse(t));
    }
  }

  @Nested
  class LeavesTheRareFormsToInstantParse {
    @ParameterizedTest
    @ValueSource(strings = {"2016-12-31T23:59:60Z", "2026-01-01T24:00:00Z", "2025-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T00:60:00Z", "2026-00-10T00:00:00Z"})
    void returnsNull(String t) {
      assertThat(Statement.utcFast(t)).isNull();
    }

    @Test
    void soAnInvalidDateIsStillRefusedByTheStrictParser() {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Instant.parse("2025-02-29T00:00:00Z"));
      assertThat(thrown).isInstanceOf(DateTimeParseException.class);
    }
  }
}
