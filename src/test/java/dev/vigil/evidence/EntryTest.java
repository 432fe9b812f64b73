package dev.vigil.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EntryTest {
  static Entry sample() {
    return new Entry(41, Instant.parse("2026-11-26T18:00:31.204567Z"), "monitor-0", "integrity-service", "green",
        Entry.Kind.VERDICT, "hash_mismatch", "constitutionalHash is 'deadbeefdeadbeef', expected cdd01ef066bc6cf2",
        "n0nce", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), null);
  }

  @Nested
  class Serialization {
    @Test
    void isCompactJsonWithTheSpecsKeyOrderPinnedToTheByte() {
      assertThat(new String(sample().toJson(), StandardCharsets.UTF_8)).isEqualTo(
          "{\"index\":41,\"time\":\"2026-11-26T18:00:31.204Z\",\"monitor\":\"monitor-0\","
              + "\"service\":\"integrity-service\",\"environment\":\"green\",\"kind\":\"verdict\","
              + "\"verdict\":\"hash_mismatch\","
              + "\"detail\":\"constitutionalHash is 'deadbeefdeadbeef', expected cdd01ef066bc6cf2\","
              + "\"nonce\":\"n0nce\",\"envelope\":\"eyJhIjoxfQ==\",\"breachId\":null}");
    }

    @Test
    void wholeSecondsStillHaveThreeFractionDigitsAndNonAsciiIsUtf8() {
      Entry e = new Entry(0, Instant.parse("2026-01-02T03:04:05Z"), "m", "s", "e", Entry.Kind.BREACH_OPENED, null,
          "é\"\n", null, null, "b-1");
      assertThat(new String(e.toJson(), StandardCharsets.UTF_8)).isEqualTo(
          "{\"index\":0,\"time\":\"2026-01-02T03:04:05.000Z\",\"monitor\":\"m\",\"service\":\"s\",\"environment\":\"e\","
              + "\"kind\":\"breach.opened\",\"verdict\":null,\"detail\":\"é\\\"\\n\",\"nonce\":null,\"envelope\":null,"
              + "\"breachId\":\"b-1\"}");
    }

    @Test
    void roundTripsAndPeeksTheIndex() throws Exception {
      byte[] json = sample().toJson();
      assertThat(Entry.parse(json)).isEqualTo(sample().withIndex(41));
      assertThat(Entry.peekIndex(json)).isEqualTo(41);
      assertThat(Entry.peekIndex("{\"x\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }
  }

  @Nested
  class Parsing {
    @Test
    void refusesAnythingButTheCanonicalBytes() {
      String canonical = new String(sample().toJson(), StandardCharsets.UTF_8);
      for (String bad : new String[] {
          canonical.replace("{\"index\":41,", "{\"index\": 41,"),
          canonical.replace("\"monitor\":\"monitor-0\",\"service\":\"integrity-service\",",
              "\"service\":\"integrity-service\",\"monitor\":\"monitor-0\","),
          canonical.replace("}", ",\"extra\":1}"),
          canonical.replace("\"kind\":\"verdict\"", "\"kind\":\"other\""),
          canonical.replace(".204Z", "Z"),
          canonical.replace("\"monitor\":\"monitor-0\"", "\"monitor\":null"),
          canonical.replace("n0nce", "n0nc\\u0065"),
          canonical + " "}) {
        assertThatThrownBy(() -> Entry.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
            .isInstanceOf(Entry.Malformed.class);
      }
    }
  }
}
