package dev.vigil.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.Observation;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import dev.vigil.score.TargetMemory;
import dev.vigil.score.TargetMemory.Attribution;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
  static final TargetId ID = new TargetId("integrity-service", "green");
  static final Instant SAVED = Instant.parse("2026-11-26T18:00:35Z");
  static final Instant AT = Instant.parse("2026-11-26T18:00:31.204Z");

  static TargetSnapshot small() {
    Observation o = new Observation(ID, AT, Verdict.HASH_MISMATCH, "", false, true, Duration.ofMillis(100), null, null);
    Breach b = new Breach("b-1", ID, "hash_mismatch", Severity.CRITICAL, Verdict.HASH_MISMATCH, "dead", "cdd0", 0.5,
        180, 1, AT, null);
    return new TargetSnapshot(ID, SAVED, 7L, new TargetMemory(List.of(new TargetMemory.Entry(o, Attribution.TARGET)),
        Map.of("hash_mismatch", 1), List.of(b)));
  }

  @Nested
  class Format {
    /** Version 1, byte for byte: changing it needs a new version (and a reader for this one). */
    @Test
    void version1IsPinned() {
      String hex = HexFormat.of().formatHex(SnapshotCodec.encode(small()));
      assertThat(hex).isEqualTo("01" + "00"                             // version 1, snapshot
          + "11" + hex("integrity-service") + "05" + hex("green")          // target
          + "86cfc3b00d" + "00"                                            // savedAt: zigzag seconds, nanos
          + "01" + "0e"                                                    // flags: sequence 7 (zigzag 14)
          + "01" + "fecec3b00d" + "8096a361"                               // 1 entry: at (seconds, .204 s)
          + "0e" + "02" + "80c2d72f"                                       // hash_mismatch, responded, 100 ms
          + "01" + "0d" + hex("hash_mismatch") + "01"                      // counts: hash_mismatch 1
          + "01" + "03" + hex("b-1") + "0d" + hex("hash_mismatch")         // 1 breach: id, rule
          + "01" + "0e" + "04" + hex("dead") + "04" + hex("cdd0")          // critical, verdict, observed, expected
          + "3fe0000000000000" + "b401" + "01"                             // score 0.5, 180 s, 1 failure
          + "fecec3b00d" + "8096a361");                                    // openedAt
    }

    @Test
    void aTombstoneIsVersionKindTargetAndTime() {
      assertThat(HexFormat.of().formatHex(SnapshotCodec.encodeTombstone(ID, SAVED)))
          .isEqualTo("0101" + "11" + hex("integrity-service") + "05" + hex("green") + "86cfc3b00d00");
    }

    @Test
    void isCompactForAFullWindow() {
      TargetSnapshot s = full(10);
      assertThat(SnapshotCodec.encode(s).length).as("10 observations with SLO reports, one breach").isLessThan(500);
    }
  }

  static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static TargetSnapshot full(int n) {
    List<TargetMemory.Entry> window = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Verdict v = Verdict.values()[i % Verdict.values().length];
      Statement.Slo slo = i % 3 == 0 ? null : new Statement.Slo(i % 2 == 0 ? null : 812.5 + i, 250.0 / (i + 1),
          i % 4 == 0 ? 0.001 * i : null);
      window.add(new TargetMemory.Entry(new Observation(ID, AT.plusSeconds(30L * i).plusNanos(i * 7919L), v, "", i % 2 == 0,
          i % 3 != 1, Duration.ofNanos(123_456_789L * i), slo, null), Attribution.values()[i % 3]));
    }
    Breach b = new Breach("b-integrity-service-green-compliance_score-20261126T180031Z", ID, "compliance_score",
        Severity.HIGH, Verdict.TIMEOUT, "0.833", "0.95", 0.8333333333333334, 180, 3, AT, null);
    return new TargetSnapshot(ID, SAVED, -3L, new TargetMemory(window, Map.of("compliance_score", 3, "latency_p95", 1),
        List.of(b)));
  }

  @Nested
  class RoundTrip {
    @Test
    void everyFieldTheRulesReadSurvivesExactly() throws Exception {
      TargetSnapshot s = full(17);
      TargetSnapshot back = SnapshotCodec.decodeSnapshot(SnapshotCodec.encode(s));
      assertThat(back.target()).isEqualTo(s.target());
      assertThat(back.savedAt()).isEqualTo(s.savedAt());
      assertThat(back.lastSequence()).isEqualTo(-3L);
      assertThat(back.memory().consecutiveFailures()).isEqualTo(s.memory().consecutiveFailures());
      assertThat(back.memory().openBreaches()).isEqualTo(s.memory().openBreaches());
      assertThat(back.memory().window()).hasSize(17);
      for (int i = 0; i < 17; i++) {
        TargetMemory.Entry a = s.memory().window().get(i);
        TargetMemory.Entry c = back.memory().window().get(i);
        assertThat(c.attribution()).isEqualTo(a.attribution());
        Observation x = a.observation();
        Observation y = c.observation();
        assertThat(List.of(y.target(), y.at(), y.verdict(), y.signed(), y.responded(), y.probeDuration()))
            .isEqualTo(List.of(x.target(), x.at(), x.verdict(), x.signed(), x.responded(), x.probeDuration()));
        assertThat(y.slo()).isEqualTo(x.slo());
      }
    }

    @Test
    void noSequenceAndAnEmptyWindow() throws Exception {
      TargetSnapshot s = new TargetSnapshot(ID, SAVED, null, TargetMemory.empty());
      assertThat(SnapshotCodec.decodeSnapshot(SnapshotCodec.encode(s))).isEqualTo(s);
    }

    @Test
    void tombstones() throws Exception {
      assertThat(SnapshotCodec.decode(SnapshotCodec.encodeTombstone(ID, SAVED)))
          .isEqualTo(new SnapshotCodec.Dropped(ID, SAVED));
    }
  }

  @Nested
  class Refused {
    @Test
    void anUnknownVersionIsRefusedNamingIt() {
      byte[] b = SnapshotCodec.encode(small());
      b[0] = 2;
      assertThatThrownBy(() -> SnapshotCodec.decode(b)).isInstanceOf(StateFormatException.class)
          .hasMessageContaining("format version 2 is unknown").hasMessageContaining("reads version 1")
          .hasMessageContaining("refusing to guess");
    }

    @Test
    void versionZeroAndAnEmptyRecordToo() {
      assertThatThrownBy(() -> SnapshotCodec.decode(new byte[] {0})).hasMessageContaining("version 0 is unknown");
      assertThatThrownBy(() -> SnapshotCodec.decode(new byte[0])).isInstanceOf(StateFormatException.class)
          .hasMessageContaining("ends early");
    }

    @Test
    void everyTruncationIsRefused() {
      byte[] b = SnapshotCodec.encode(full(5));
      for (int n = 1; n < b.length; n++) {
        byte[] cut = Arrays.copyOf(b, n);
        assertThatThrownBy(() -> SnapshotCodec.decode(cut)).as("cut at %d", n).isInstanceOf(StateFormatException.class);
      }
    }

    @Test
    void trailingBytesUnknownCodesAndKinds() {
      byte[] b = SnapshotCodec.encode(small());
      byte[] longer = Arrays.copyOf(b, b.length + 1);
      assertThatThrownBy(() -> SnapshotCodec.decode(longer)).hasMessageContaining("unexpected byte");
      byte[] kind = b.clone();
      kind[1] = 9;
      assertThatThrownBy(() -> SnapshotCodec.decode(kind)).hasMessageContaining("unknown state record kind 9");
      String hex = HexFormat.of().formatHex(b).replaceFirst("0e0280c2d72f", "630280c2d72f");
      assertThatThrownBy(() -> SnapshotCodec.decode(HexFormat.of().parseHex(hex)))
          .hasMessageContaining("unknown verdict code 99");
    }
  }
}
