package dev.vigil.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.monitor.Monitor");

  @AfterEach
  void restore() {
    Logging.configure(Logging.Settings.defaults());
  }

  /** Runs {@code body} with the given settings and returns what reached stderr. */
  private static String stderr(Logging.Settings settings, Runnable body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      Logging.configure(settings);
      body.run();
    } finally {
      System.setErr(err);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<JsonNode> jsonLines(String out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (!l.isBlank()) {
        lines.add(JSON.readTree(l)); // every line must be one JSON object
      }
    }
    return lines;
  }

  @Nested
  class Json {
    @Test
    void eachLineIsAnEcsObjectWithTheFieldsAtTheTopLevel() throws Exception {
      String out = stderr(new Logging.Settings(LogFormat.JSON, LogLevel.INFO, Logging.Profile.DAEMON), () -> {
        LOG.atWarn().addKeyValue(LogFields.SERVICE, "integrity-service").addKeyValue(LogFields.ENVIRONMENT, "green")
            .addKeyValue(LogFields.VERDICT, "hash_mismatch").addKeyValue(LogFields.BREACH_ID, "b-1")
            .log("breach opened: {}", "hash_mismatch");
        LOG.info("plain \"quoted\"\nsecond line");
      });
      List<JsonNode> lines = jsonLines(out);
      assertThat(lines).hasSize(2);
      JsonNode w = lines.get(0);
      assertThat(w.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(w.get("log.level").asText()).isEqualTo("WARN");
      assertThat(w.get("log.logger").asText()).isEqualTo("dev.vigil.monitor.Monitor");
      assertThat(w.get("message").asText()).isEqualTo("breach opened: hash_mismatch");
      assertThat(w.get("service").asText()).isEqualTo("integrity-service");
      assertThat(w.get("environment").asText()).isEqualTo("green");
      assertThat(w.get("verdict").asText()).isEqualTo("hash_mismatch");
      assertThat(w.get("breachId").asText()).isEqualTo("b-1");
      assertThat(lines.get(1).get("message").asText()).isEqualTo("plain \"quoted\"\nsecond line");
      assertThat(lines.get(1).has("service")).as("fields do not leak to the next event").isFalse();
    }

    @Test
    void theLevelFiltersVigilsOwnLines() throws Exception {
      String out = stderr(new Logging.Settings(LogFormat.JSON, LogLevel.WARN, Logging.Profile.DAEMON), () -> {
        LOG.info("not shown");
        LOG.warn("shown");
      });
      assertThat(jsonLines(out)).extracting(n -> n.get("message").asText()).containsExactly("shown");
    }
  }

  @Nested
  class Text {
    @Test
    void oneLinePerEventWithTheLevelInBracketsAndLineBreaksEscaped() {
      String out = stderr(Logging.Settings.defaults(), () -> LOG.warn("evil\r\n[ERROR] forged"));
      assertThat(out.split("\n")).hasSize(1);
      assertThat(out).matches("(?s)\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+-]\\d{4} \\[WARN] Monitor - evil\\\\r\\\\n\\[ERROR] forged\\n");
    }

    @Test
    void debugShowsWithDebugLevel() {
      String out = stderr(new Logging.Settings(LogFormat.TEXT, LogLevel.DEBUG, Logging.Profile.DAEMON),
          () -> LOG.debug("detail"));
      assertThat(out).contains("[DEBUG] Monitor - detail");
    }
  }

  @Nested
  class ThirdParty {
    @Test
    void kafkaIsWarnForADaemonAndErrorInTheDemoNettyAndVertxWarn() {
      Logging.configure(new Logging.Settings(LogFormat.TEXT, LogLevel.DEBUG, Logging.Profile.DAEMON));
      assertThat(LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").isInfoEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").isWarnEnabled()).isTrue();
      assertThat(LoggerFactory.getLogger("io.netty.channel.X").isInfoEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("io.vertx.core.impl.ContextImpl").isInfoEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("dev.vigil.x").isDebugEnabled()).isTrue();
      Logging.configure(new Logging.Settings(LogFormat.TEXT, LogLevel.INFO, Logging.Profile.DEMO));
      assertThat(LoggerFactory.getLogger("kafka.server.QuorumController").isWarnEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController").isWarnEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController").isErrorEnabled()).isTrue();
    }

    @Test
    void aHigherVigilLevelSilencesThirdPartiesToo() {
      Logging.configure(new Logging.Settings(LogFormat.TEXT, LogLevel.ERROR, Logging.Profile.DAEMON));
      assertThat(LoggerFactory.getLogger("io.vertx.core.X").isWarnEnabled()).isFalse();
      assertThat(LoggerFactory.getLogger("org.apache.kafka.X").isWarnEnabled()).isFalse();
    }
  }

  /**
   * Log4j core is the one backend: nothing switches this JVM to another context factory behind it (the embedded
   * broker once set log4j2.loggerContextFactory to the simple factory, from before log4j-core; had that run before
   * LogManager started, {@link Logging#configure} would fail on its cast to core's LoggerContext).
   */
  @Nested
  class Backend {
    @Test
    void loadingTheEmbeddedBrokerLeavesLog4jCoreInCharge() throws Exception {
      String before = System.getProperty("log4j2.loggerContextFactory");
      Class.forName("dev.vigil.events.EmbeddedKafka", true, LoggingTest.class.getClassLoader());
      assertThat(System.getProperty("log4j2.loggerContextFactory"))
          .as("log4j2.loggerContextFactory after loading EmbeddedKafka (it was %s before)", before).isEqualTo(before);
      assertThat(org.apache.logging.log4j.LogManager.getContext(false))
          .as("Log4j's context").isInstanceOf(org.apache.logging.log4j.core.LoggerContext.class);
    }
  }
}
