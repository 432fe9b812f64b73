package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** When a failing head record is retried and when it is due for the dead letters. */
class RecordAttemptsTest {
  @Test
  void aNonRetriableFailureIsDueAfterMaxAttemptsAtTheSameOffset() {
    RecordAttempts a = new RecordAttempts(3);
    IllegalStateException bug = new IllegalStateException("bug");
    assertThat(a.failed(7, bug).due()).isFalse();
    assertThat(a.failed(7, bug).due()).isFalse();
    assertThat(a.due(7)).isNull();
    RecordAttempts.Attempt third = a.failed(7, bug);
    assertThat(third.due()).isTrue();
    assertThat(third.count()).isEqualTo(3);
    assertThat(third.reason()).isEqualTo("internal_error");
    assertThat(third.detail()).contains("bug");
    assertThat(a.due(7)).isEqualTo(third);
    assertThat(a.due(8)).as("another offset").isNull();
    assertThat(a.finished()).isEqualTo(third);
    assertThat(a.due(7)).isNull();
  }

  @Test
  void aRetriableFailureIsNeverDueAndAnotherOffsetCountsAfresh() {
    RecordAttempts a = new RecordAttempts(2);
    for (int i = 0; i < 10; i++) {
      assertThat(a.failed(1, new TimeoutException("broker down")).due()).isFalse();
    }
    assertThat(a.failed(2, new IllegalStateException("bug")).count()).isEqualTo(1);
  }
}
