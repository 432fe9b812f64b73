package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.TrustStore;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Issue 8, item 2: every event Vigil produces fits well under Kafka's default 1 MB, whatever its inputs. */
class EventBoundsTest {
  static final EventCodec CODEC = new EventCodec(MONITOR_KEY);
  static final Instant T = EventFixtures.T0;

  static BreachData breach(String id, String text, String observed, String expected) {
    return new BreachData(id, text, text, text, text, text, observed, expected, 0.5, 180, 1, T, T, text);
  }

  static RollbackFinished rollback(String id, String text, String detail) {
    return new RollbackFinished(id, id, id, text, text, text, RollbackFinished.Status.SKIPPED, detail, T, T, 0);
  }

  static int signedBytes(CloudEvent e) {
    return CODEC.sign(e).value().length;
  }

  @Nested
  class Truncation {
    @Test
    void aShortValueIsUntouched() {
      assertThat(Bounds.text("cdd01ef066bc6cf2", Bounds.VALUE_CHARS)).isEqualTo("cdd01ef066bc6cf2");
      assertThat(Bounds.text(null, 10)).isNull();
    }

    @Test
    void aLongValueKeepsItsBeginningAndEndsWithAVisibleMarkerWithinTheBound() {
      String huge = "ab".repeat(550_000);
      String t = Bounds.text(huge, Bounds.VALUE_CHARS);
      assertThat(t).hasSize(Bounds.VALUE_CHARS).startsWith("abab")
          .matches("(?s).*…\\[truncated 1100000 chars, sha256 [0-9a-f]{16}]$");
      assertThat(Bounds.text(t, Bounds.VALUE_CHARS)).as("bounding is idempotent").isEqualTo(t);
    }

    @Test
    void twoLongValuesWithTheSameBeginningStayDistinct() {
      String a = "x".repeat(5000) + "a";
      String b = "x".repeat(5000) + "b";
      assertThat(Bounds.text(a, Bounds.ID_CHARS)).isNotEqualTo(Bounds.text(b, Bounds.ID_CHARS));
    }

    @Test
    void aSurrogatePairIsNeverCutInHalf() {
      String emoji = "\uD83D\uDE00".repeat(2000);
      String t = Bounds.text(emoji, Bounds.ID_CHARS);
      String kept = t.substring(0, t.indexOf('…'));
      assertThat(kept.length() % 2).isZero();
      assertThat(kept.codePoints()).allMatch(cp -> cp == 0x1F600);
    }
  }

  @Nested
  class WholeEvents {
    @Test
    void aHugeObservedHashMakesABreachEventOfAFewKilobytes() {
      String observed = "f".repeat(1_100_000);
      BreachData d = breach("b-1", "integrity-service", observed, "cdd01ef066bc6cf2");
      assertThat(d.observed()).hasSize(Bounds.VALUE_CHARS).contains("truncated 1100000 chars");
      assertThat(d.expected()).isEqualTo("cdd01ef066bc6cf2");
      CloudEvent e = CloudEvent.breach(CloudEvent.BREACH_OPENED, d);
      assertThat(signedBytes(e)).isLessThan(Bounds.MAX_VALUE_BYTES);
    }

    @Test
    void aHugeDetailMakesARollbackEventOfAFewKilobytes() {
      RollbackFinished r = rollback("r-1", "integrity-service", "untrusted_event: " + "d".repeat(900_000));
      assertThat(r.detail()).hasSize(Bounds.DETAIL_CHARS).startsWith("untrusted_event: ddd").contains("truncated");
      CloudEvent e = new CloudEvent("id-1", "vigil://rollback-controller/c", CloudEvent.ROLLBACK_FINISHED, r.service(),
          T, r);
      assertThat(signedBytes(e)).isLessThan(Bounds.MAX_VALUE_BYTES);
    }

    @Test
    void theWorstCaseOfEveryFieldAtItsBoundFullyEscapedStaysUnderTheBound() {
      String worst = "\u0001".repeat(1_000_000); // JSON escapes each as six bytes
      CloudEvent b = new CloudEvent(worst, worst, CloudEvent.BREACH_OPENED, worst, T, breach(worst, worst, worst, worst));
      CloudEvent r = new CloudEvent(worst, worst, CloudEvent.ROLLBACK_FINISHED, worst, T, rollback(worst, worst, worst));
      assertThat(signedBytes(b)).isLessThan(Bounds.MAX_VALUE_BYTES);
      assertThat(signedBytes(r)).isLessThan(Bounds.MAX_VALUE_BYTES);
    }

    @Test
    void aBoundedEventVerifiesAndDecodesToTheSameFields() {
      BreachData d = breach("b-" + "9".repeat(10_000), "integrity-service", "f".repeat(1_100_000), null);
      CloudEvent e = CloudEvent.breach(CloudEvent.BREACH_OPENED, d);
      EventCodec.Decoded got = EventCodec.verify(CODEC.sign(e).value(), TrustStore.of(MONITOR_KEY.trusted()),
          Instant.now());
      assertThat(got).isInstanceOfSatisfying(EventCodec.Accepted.class, a -> assertThat(a.event()).isEqualTo(e));
    }
  }
}
