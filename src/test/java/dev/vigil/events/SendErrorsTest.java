package dev.vigil.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * Which send errors move an event to the dead-letter file: only those the event itself causes. A
 * producer-wide error (authorization, an outage) must never empty the queue into it.
 */
class SendErrorsTest {
  @Test
  void errorsOfTheEventItselfAreDeadLettered() {
    assertThat(OutboxPublisher.neverSendable(new RecordTooLargeException("big"))).hasValue("too_large");
    assertThat(OutboxPublisher.neverSendable(new RecordBatchTooLargeException("big"))).hasValue("too_large");
    assertThat(OutboxPublisher.neverSendable(new InvalidRecordException("bad"))).hasValue("invalid_record");
  }

  @Test
  void errorsOfTheProducerOrTheClusterAreRetried() {
    assertThat(OutboxPublisher.neverSendable(new TopicAuthorizationException("no ACL"))).isEmpty();
    assertThat(OutboxPublisher.neverSendable(new ClusterAuthorizationException("no ACL"))).isEmpty();
    assertThat(OutboxPublisher.neverSendable(new TimeoutException("down"))).isEmpty();
    assertThat(OutboxPublisher.neverSendable(new NotEnoughReplicasException("few"))).isEmpty();
  }
}
