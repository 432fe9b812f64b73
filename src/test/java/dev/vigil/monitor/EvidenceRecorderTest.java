package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.config.EvidenceConfig;
import dev.vigil.events.RollbackFinished;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.poll.PollResult;
import dev.vigil.score.TargetId;
import dev.vigil.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the recorder appends for a sequence of polls, and its retention, on a manual clock (no monitor). */
class EvidenceRecorderTest {
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  static final TargetId T = new TargetId("auth-service", "green");

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(T0);

  EvidenceRecorder recorder(EvidenceConfig config) throws Exception {
    EvidenceLog log = EvidenceLog.open(dir, "m", Duration.ZERO, clock);
    return new EvidenceRecorder(log, null, config, dir, clock, new SimpleMeterRegistry(), null);
  }

  static PollResult poll(int second, Verdict v) {
    return new PollResult(T, new Verification(v, "poll " + second, v == Verdict.COMPLIANT, List.of(), null), true,
        Duration.ofMillis(5), T0.plusSeconds(second), 1, false, "nonce-" + second,
        ("{\"payloadType\":\"" + second + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  List<Entry> entries(EvidenceRecorder r) throws Exception {
    r.submit(() -> { }).get();
    List<Entry> out = new ArrayList<>();
    for (byte[] b : r.log().read(r.log().first(), r.log().size())) {
      out.add(Entry.parse(b));
    }
    return out;
  }

  @Nested
  class Sampling {
    @Test
    void changesAlwaysSameVerdictOncePerSampleInterval() throws Exception {
      EvidenceRecorder r = recorder(EvidenceConfig.disabled().withDir(dir));
      Verdict prev = null;
      int[] seconds = {0, 10, 20, 1800, 3599, 3600, 3610, 3620, 7300};
      Verdict[] verdicts = {Verdict.COMPLIANT, Verdict.COMPLIANT, Verdict.COMPLIANT, Verdict.COMPLIANT,
          Verdict.COMPLIANT, Verdict.COMPLIANT, Verdict.TIMEOUT, Verdict.COMPLIANT, Verdict.COMPLIANT};
      for (int i = 0; i < seconds.length; i++) {
        r.onPoll(poll(seconds[i], verdicts[i]), prev);
        prev = verdicts[i];
      }
      List<Entry> e = entries(r);
      assertThat(e).extracting(x -> x.time().getEpochSecond() - T0.getEpochSecond())
          .containsExactly(0L, 3600L, 3610L, 3620L, 7300L);
      assertThat(e.get(2).verdict()).isEqualTo("timeout");
      assertThat(e.get(0).nonce()).isEqualTo("nonce-0");
      assertThat(new String(e.get(0).envelope(), StandardCharsets.UTF_8)).isEqualTo("{\"payloadType\":\"0\"}");
      r.close();
    }
  }

  @Nested
  class Rollbacks {
    RollbackFinished finished(String breachId, RollbackFinished.Status status, int second) {
      Instant at = T0.plusSeconds(second);
      return new RollbackFinished("r-" + breachId, breachId, "e-" + breachId, "auth-service", "green", "blue", status,
          status.label() + " detail", at.minusSeconds(2), at, 2000);
    }

    @Test
    void eachRollbackThatRanIsOneEntryEvenWhenTheTopicIsReadAgainAfterARestart() throws Exception {
      EvidenceRecorder r = recorder(EvidenceConfig.disabled().withDir(dir));
      r.onRollbackFinished(finished("b-1", RollbackFinished.Status.SUCCEEDED, 10));
      r.onRollbackFinished(finished("b-1", RollbackFinished.Status.SKIPPED, 11));
      r.onRollbackFinished(finished("b-2", RollbackFinished.Status.VALIDATION_FAILED, 20));
      r.onRollbackFinished(finished("b-1", RollbackFinished.Status.SUCCEEDED, 10));
      List<Entry> first = entries(r);
      assertThat(first).extracting(Entry::kind).containsOnly(Entry.Kind.ROLLBACK_FINISHED);
      assertThat(first).extracting(Entry::breachId, Entry::verdict, Entry::environment).containsExactly(
          org.assertj.core.groups.Tuple.tuple("b-1", "succeeded", "green"),
          org.assertj.core.groups.Tuple.tuple("b-2", "validation_failed", "green"));
      assertThat(first.get(0).time()).isEqualTo(T0.plusSeconds(10));
      r.close();

      EvidenceRecorder again = recorder(EvidenceConfig.disabled().withDir(dir));
      again.onRollbackFinished(finished("b-1", RollbackFinished.Status.SUCCEEDED, 10));
      again.onRollbackFinished(finished("b-2", RollbackFinished.Status.VALIDATION_FAILED, 20));
      again.onRollbackFinished(finished("b-3", RollbackFinished.Status.FAILED, 30));
      assertThat(entries(again)).extracting(Entry::breachId).containsExactly("b-1", "b-2", "b-3");
      again.close();
    }
  }

  @Nested
  class Retention {
    @Test
    void entriesOlderThanMaxAgeArePrunedAndTheRootStays() throws Exception {
      EvidenceConfig c = new EvidenceConfig(dir, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1),
          Duration.ofHours(1), 10L << 30);
      EvidenceRecorder r = recorder(c);
      Verdict prev = null;
      for (int s = 0; s < 7200; s += 60) {
        r.onPoll(poll(s, s % 120 == 0 ? Verdict.COMPLIANT : Verdict.TIMEOUT), prev);
        prev = s % 120 == 0 ? Verdict.COMPLIANT : Verdict.TIMEOUT;
      }
      r.submit(() -> { }).get();
      byte[] root = r.log().root(r.log().size());
      clock.set(T0.plusSeconds(7200));
      r.submit(() -> {
        try {
          r.retain();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get();
      assertThat(r.log().first()).isEqualTo(60);
      assertThat(r.first()).isEqualTo(60);
      assertThat(r.log().root(120)).isEqualTo(root);
      assertThat(entries(r).get(0).time()).isEqualTo(T0.plusSeconds(3600));
      r.close();
    }
  }
}
