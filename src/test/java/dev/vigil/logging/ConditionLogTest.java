package dev.vigil.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testing.LogCapture;
import java.time.Duration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConditionLogTest {
  @Nested
  class Explicit {
    @Test
    void oneWarnAtTheStartOneInfoAtTheEndWithTheCount() {
      try (LogCapture logs = LogCapture.begin()) {
        ConditionLog c = new ConditionLog(LoggerFactory.getLogger("dev.vigil.test.Cond"), "kafka_down", "Kafka is down");
        assertThat(c.occurred("first\nfailure", 1_000)).isTrue();
        for (int i = 0; i < 66; i++) {
          assertThat(c.occurred("again", 1_000 + i * 450L)).isFalse();
        }
        assertThat(c.active()).isTrue();
        assertThat(c.ended("publish acknowledged", 31_000)).isTrue();
        assertThat(c.ended("again", 32_000)).as("ends once").isFalse();
        var lines = logs.lines("dev.vigil.test.Cond", l -> !l.is("DEBUG"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).level()).isEqualTo("WARN");
        assertThat(lines.get(0).message()).contains("Kafka is down").contains("first failure").doesNotContain("\n");
        assertThat(lines.get(0).fields()).containsEntry("condition", "kafka_down").containsEntry("count", "1");
        assertThat(lines.get(1).level()).isEqualTo("INFO");
        assertThat(lines.get(1).message()).contains("ended (publish acknowledged) after 67 occurrence(s) over 30.0 s");
        assertThat(lines.get(1).fields()).containsEntry("count", "67");
        assertThat(c.total()).isEqualTo(67);
      }
    }

    @Test
    void aSecondEpisodeCountsAfresh() {
      ConditionLog c = new ConditionLog(LoggerFactory.getLogger("dev.vigil.test.Cond"), "x", "X");
      c.occurred("a", 0);
      c.occurred("a", 1);
      c.ended("ok", 2);
      assertThat(c.occurred("b", 3)).isTrue();
      assertThat(c.count()).isEqualTo(1);
      assertThat(c.total()).isEqualTo(3);
    }
  }

  @Nested
  class ThirdPartyChatter {
    private LogEvent event(String logger, Level level, String message, Throwable t) {
      return Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level).setMessage(new SimpleMessage(message))
          .setThrown(t).build();
    }

    @Test
    void repeatedKafkaWarningsBecomeOneWarnThenOneInfoAfterAQuietPeriod() {
      ChatterFilter filter = new ChatterFilter(300);
      try (LogCapture logs = LogCapture.begin()) {
        for (int i = 0; i < 67; i++) {
          assertThat(filter.filter(event("org.apache.kafka.clients.NetworkClient", Level.WARN,
              "[Producer clientId=vigil] Connection to node 1 (localhost/127.0.0.1:9092) could not be established.", null)))
              .isEqualTo(org.apache.logging.log4j.core.Filter.Result.DENY);
        }
        assertThat(filter.filter(event("org.apache.kafka.clients.NetworkClient", Level.ERROR, "fatal", null)))
            .as("Kafka's errors are never folded").isEqualTo(org.apache.logging.log4j.core.Filter.Result.NEUTRAL);
        assertThat(filter.filter(event("dev.vigil.events.OutboxPublisher", Level.WARN, "ours", null)))
            .isEqualTo(org.apache.logging.log4j.core.Filter.Result.NEUTRAL);
        await().atMost(Duration.ofSeconds(10)).until(() -> !filter.conditions().get(0).active());
        var lines = logs.lines("dev.vigil.events.Kafka", l -> !l.is("DEBUG"));
        assertThat(lines).extracting(LogCapture.Line::level).containsExactly("WARN", "INFO");
        assertThat(lines.get(0).message()).contains("NetworkClient: [Producer clientId=vigil] Connection to node 1");
        assertThat(lines.get(1).message()).contains("after 67 occurrence(s)");
        assertThat(lines.get(1).fields()).containsEntry("condition", "kafka_unreachable");
      }
    }

    @Test
    void streamResetErrorsAreOneCondition() {
      ChatterFilter filter = new ChatterFilter(300);
      Exception reset = new RuntimeException("wrapped", new io.vertx.core.http.StreamResetException(8));
      try (LogCapture logs = LogCapture.begin()) {
        for (int i = 0; i < 10; i++) {
          assertThat(filter.filter(event("io.vertx.core.impl.ContextImpl", Level.ERROR, "Unhandled exception", reset)))
              .isEqualTo(org.apache.logging.log4j.core.Filter.Result.DENY);
        }
        assertThat(filter.filter(event("io.vertx.core.impl.ContextImpl", Level.ERROR, "Unhandled exception",
            new IllegalStateException("other")))).isEqualTo(org.apache.logging.log4j.core.Filter.Result.NEUTRAL);
        await().atMost(Duration.ofSeconds(10)).until(() -> !filter.conditions().get(1).active());
        assertThat(logs.lines("dev.vigil.http.StreamResets", l -> !l.is("DEBUG")))
            .extracting(LogCapture.Line::level).containsExactly("WARN", "INFO");
      }
    }

    @Test
    void theInstalledFilterFoldsRealLoggerCalls() {
      Logging.configure(Logging.Settings.defaults());
      try (LogCapture logs = LogCapture.begin()) {
        org.slf4j.Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient");
        for (int i = 0; i < 5; i++) {
          kafka.warn("Connection to node -1 could not be established. Node may not be available.");
        }
        assertThat(logs.lines("org.apache.kafka", l -> true)).as("the library's own lines are dropped").isEmpty();
        assertThat(logs.lines("dev.vigil.events.Kafka", l -> l.is("WARN"))).hasSizeLessThanOrEqualTo(1);
        assertThat(ChatterFilter.shared().conditions().get(0).active()).isTrue();
      }
    }
  }
}
