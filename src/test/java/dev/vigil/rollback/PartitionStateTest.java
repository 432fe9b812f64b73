package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One partition's bookkeeping in the breach consumer: order, commits, retry pauses, pause changes, grace. */
class PartitionStateTest {
  static final TopicPartition TP = new TopicPartition("constitutional.breaches", 3);
  static final Instant T0 = Instant.parse("2026-12-01T05:00:00Z");
  final PartitionState s = new PartitionState(TP, 7, 3, false);

  /** The consumer fetched records at {@code offsets}. */
  void fetched(long... offsets) {
    for (long o : offsets) {
      s.pending.add(new ConsumerRecord<>(TP.topic(), TP.partition(), o, null, new byte[] {1}));
    }
  }

  @Nested
  class Dispatch {
    @Test
    void oneRecordAtATimeInOffsetOrder() {
      fetched(10, 11);
      assertThat(s.dispatch().offset()).isEqualTo(10);
      assertThat(s.dispatch()).as("10 is still in flight").isNull();
      assertThat(s.busy()).isTrue();
      assertThat(s.unfinished(5)).isEqualTo(5 + 1 + 1);
      s.succeeded(10);
      assertThat(s.dispatch().offset()).isEqualTo(11);
      s.succeeded(11);
      assertThat(s.busy()).isFalse();
      assertThat(s.unfinished(0)).isZero();
    }

    @Test
    void aBatchIsWhatWaitsUpToItsBoundAndIsInFlightAsAWhole() {
      fetched(20, 21, 22, 23);
      assertThat(s.head().offset()).isEqualTo(20);
      assertThat(s.dispatch(3)).extracting(ConsumerRecord::offset).containsExactly(20L, 21L, 22L);
      assertThat(s.dispatch(3)).as("a batch is in flight").isEmpty();
      assertThat(s.unfinished(0)).isEqualTo(3 + 1);
      s.succeeded(21); // the handler finished 20 and 21, then 22 failed
      s.retryFrom(T0);
      assertThat(s.takeCommit()).isEqualTo(new OffsetAndMetadata(22));
      assertThat(s.pending).as("fetched again from 22").isEmpty();
      assertThat(s.unfinished(2)).isEqualTo(2);
    }

    @Test
    void theCommitIsTheOffsetAfterTheLastFinishedAndIsTakenOnce() {
      assertThat(s.takeCommit()).isNull();
      fetched(4);
      s.dispatch();
      s.succeeded(4);
      assertThat(s.takeAdvanced()).isTrue();
      assertThat(s.takeAdvanced()).isFalse();
      assertThat(s.takeCommit()).isEqualTo(new OffsetAndMetadata(5));
      assertThat(s.takeCommit()).isNull();
    }
  }

  @Nested
  class Failure {
    @Test
    void aFailedRecordDropsWhatWasFetchedAndWaitsOutItsPauseOnTheClock() {
      fetched(1, 2);
      s.dispatch();
      s.retryFrom(T0.plusSeconds(1));
      assertThat(s.pending).isEmpty();
      assertThat(s.inFlight()).isFalse();
      assertThat(s.takeCommit()).as("nothing finished").isNull();
      assertThat(s.waiting(T0)).isTrue();
      assertThat(s.waiting(T0.plusMillis(999))).isTrue();
      assertThat(s.waiting(T0.plusSeconds(1))).isFalse();
      assertThat(s.waiting(T0)).as("the pause is forgotten once over").isFalse();
    }
  }

  @Test
  void pauseChangesAreReportedOnlyWhenTheyChange() {
    assertThat(s.pausedChanges(false)).isFalse();
    assertThat(s.pausedChanges(true)).isTrue();
    assertThat(s.pausedChanges(true)).isFalse();
    assertThat(s.pausedChanges(false)).isTrue();
    assertThat(new PartitionState(TP, 8, 3, true).pausedChanges(true)).as("paused by the consumer already").isFalse();
  }

  @Test
  void aRevokedPartitionsRecordInFlightHasItsGraceOnly() {
    assertThat(s.inGrace(T0)).isFalse();
    fetched(1);
    s.dispatch();
    assertThat(s.inGrace(T0)).as("not being revoked").isFalse();
    s.revoking(T0.plus(Duration.ofSeconds(10)));
    assertThat(s.inGrace(T0.plusSeconds(9))).isTrue();
    assertThat(s.inGrace(T0.plusSeconds(10))).isFalse();
    s.succeeded(1);
    assertThat(s.inGrace(T0)).as("nothing in flight").isFalse();
  }
}
