package dev.vigil.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter.Result;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which Kafka lines {@link ChatterFilter} folds into the {@code kafka_unreachable} condition: only
 * those saying a broker cannot be reached; every other Kafka WARN passes as the library wrote it.
 */
class ChatterFilterTest {
  private static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

  private static LogEvent event(String logger, Level level, String message, Throwable thrown) {
    return Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level).setMessage(new SimpleMessage(message))
        .setThrown(thrown).build();
  }

  private static LogEvent warn(String logger, String message) {
    return event(logger, Level.WARN, message, null);
  }

  @Nested
  class KafkaUnreachable {
    /** Lines kafka-clients 4.1.1 and the producer's Sender wrote while the embedded broker was down for 30 s. */
    @ParameterizedTest
    @ValueSource(strings = {
        "[Producer clientId=producer-1] Connection to node -1 (/127.0.0.1:46621) could not be established. Node may not"
            + " be available.",
        "[Consumer clientId=consumer-g-1, groupId=g] Bootstrap broker 127.0.0.1:46621 (id: -1 rack: null isFenced:"
            + " false) disconnected",
        "[AdminClient clientId=adminclient-1] Connection to node 1 (/127.0.0.1:46621) could not be established. Node"
            + " may not be available.",
        "[Producer clientId=vigil] Connection to node 1 (localhost/127.0.0.1:9092) could not be established. Broker may"
            + " not be available.",
        "[Producer clientId=vigil] Disconnecting from node 1 due to socket connection setup timeout. The timeout value"
            + " is 10000 ms.",
        "[Producer clientId=vigil] Got error produce response with correlation id 12 on topic-partition b-0, retrying"
            + " (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER",
        "[Producer clientId=vigil] Received invalid metadata error in produce request on partition b-0 due to"
            + " org.apache.kafka.common.errors.NetworkException: Disconnected from node 1. Going to request metadata"
            + " update now",
        "[Producer clientId=vigil] The metadata response from the cluster reported a recoverable issue with"
            + " correlation id 9 : {b=LEADER_NOT_AVAILABLE}",
        "[Consumer clientId=c, groupId=g] Auto-commit of offsets {b-0=OffsetAndMetadata{offset=3}} timed out before"
            + " completion"})
    void brokerUnreachableLinesAreTheCondition(String message) {
      assertThat(ChatterFilter.kafkaUnreachable(warn(NETWORK_CLIENT, message))).as(message).isTrue();
      assertThat(ChatterFilter.kafkaUnreachable(warn("kafka.server.BrokerLifecycleManager", message)))
          .as("the embedded broker's own clients too").isTrue();
    }

    /** Kafka WARN lines about something else: configuration, topics, authentication, the broker's own work. */
    @ParameterizedTest
    @ValueSource(strings = {
        "Disabling exponential reconnect backoff because reconnect.backoff.ms is set, but reconnect.backoff.max.ms is"
            + " not.",
        "Idempotence will be disabled because acks is set to 1, not set to 'all'.",
        "[Producer clientId=producer-1] The metadata response from the cluster reported a recoverable issue with"
            + " correlation id 5 : {t=UNKNOWN_TOPIC_OR_PARTITION}",
        "[Producer clientId=vigil] Connection to node 1 (/10.0.0.7:9093) failed authentication due to: Authentication"
            + " failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
        "[QuorumController id=1] Performing controller activation.",
        "[NodeToControllerChannelManager id=1 name=registration] Attempting to close NetworkClient that has already"
            + " been closed."})
    void otherKafkaWarningsAreNot(String message) {
      assertThat(ChatterFilter.kafkaUnreachable(warn(NETWORK_CLIENT, message))).as(message).isFalse();
      ChatterFilter filter = new ChatterFilter(60_000);
      assertThat(filter.filter(warn("org.apache.kafka.clients.producer.ProducerConfig", message))).as(message)
          .isEqualTo(Result.NEUTRAL);
      assertThat(filter.conditions().get(0).total()).isZero();
    }

    @Test
    void aRefusedConnectionOrAKafkaTimeoutAsTheExceptionIsTheConditionToo() {
      assertThat(ChatterFilter.kafkaUnreachable(event(NETWORK_CLIENT, Level.WARN, "[Producer clientId=v] Error"
          + " connecting to node localhost:9092 (id: 1 rack: null)", new IOException("x",
          new java.net.ConnectException("Connection refused"))))).isTrue();
      assertThat(ChatterFilter.kafkaUnreachable(event("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
          Level.WARN, "[Consumer clientId=c, groupId=g] Offset commit failed", new org.apache.kafka.common.errors
              .TimeoutException("x")))).isTrue();
      assertThat(ChatterFilter.kafkaUnreachable(event(NETWORK_CLIENT, Level.WARN, "[Producer clientId=v] Unexpected"
          + " error", new IllegalStateException("bug")))).isFalse();
    }

    @Test
    void onlyWarnFromKafkasLoggers() {
      String down = "Connection to node -1 (/127.0.0.1:9092) could not be established. Node may not be available.";
      assertThat(ChatterFilter.kafkaUnreachable(event(NETWORK_CLIENT, Level.ERROR, down, null))).isFalse();
      assertThat(ChatterFilter.kafkaUnreachable(event(NETWORK_CLIENT, Level.INFO, down, null))).isFalse();
      assertThat(ChatterFilter.kafkaUnreachable(warn("io.vertx.core.net.impl.ConnectionBase", down))).isFalse();
      assertThat(ChatterFilter.kafkaUnreachable(warn("state.change.logger", down))).isTrue();
    }
  }

  /** Real kafka-clients lines through the installed filter: a producer against a port nobody listens on. */
  @Nested
  class RealProducer {
    @AfterEach
    void restore() {
      Logging.configure(Logging.Settings.defaults());
    }

    @Test
    void itsConfigWarningPassesAndItsConnectionWarningsBecomeOneConditionThatEnds() throws Exception {
      ChatterFilter filter = new ChatterFilter(300);
      Logging.configure(Logging.Settings.defaults(), filter);
      int closed;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closed = s.getLocalPort();
      }
      try (LogCapture logs = LogCapture.begin()) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closed,
            ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 20, // without its max: kafka-clients warns about it
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        try {
          // asks for metadata, so the producer connects; fails after max.block.ms without queueing the record
          producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("t", new byte[1]));
          await().atMost(Duration.ofSeconds(20)).until(() -> filter.conditions().get(0).count() >= 3);
        } finally {
          producer.close(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !filter.conditions().get(0).active());

        assertThat(logs.lines("org.apache.kafka.clients.CommonClientConfigs", l -> l.is("WARN")))
            .extracting(LogCapture.Line::message).as("the configuration warning, unfolded")
            .containsExactly("Disabling exponential reconnect backoff because reconnect.backoff.ms is set, but"
                + " reconnect.backoff.max.ms is not.");
        assertThat(logs.lines("org.apache.kafka.clients.NetworkClient", l -> l.is("WARN")))
            .as("no connection warning passes").isEmpty();
        String count = Long.toString(filter.conditions().get(0).count());
        List<LogCapture.Line> condition = logs.lines("dev.vigil.events.Kafka", l -> !l.is("DEBUG") // this filter's
            && (l.is("WARN") ? l.message().contains("127.0.0.1:" + closed) : l.fields().get("count").equals(count)));
        assertThat(condition).extracting(LogCapture.Line::level).containsExactly("WARN", "INFO");
        assertThat(condition.get(0).message()).contains("NetworkClient: [Producer clientId=")
            .contains("127.0.0.1:" + closed);
        assertThat(condition.get(0).fields()).containsEntry("condition", "kafka_unreachable");
        assertThat(condition.get(1).fields()).containsEntry("condition", "kafka_unreachable")
            .containsEntry("count", count);
        assertThat(filter.conditions().get(0).count()).isGreaterThanOrEqualTo(3);
      }
    }
  }
}
