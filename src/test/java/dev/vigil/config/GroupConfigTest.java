package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.errors;
import static dev.vigil.config.ConfigFixtures.valid;
import static dev.vigil.config.ConfigFixtures.withMinimalTargets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code group}: absent by default, defaults when present, Kafka required, every error named by its YAML path. */
class GroupConfigTest {
  static final String KAFKA = "kafka: {bootstrapServers: 127.0.0.1:9092}\nevents: {signingKey: private.pem}\n";
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Nested
  class Values {
    @Test
    void withoutTheSectionThereIsNoGroup() {
      GroupConfig g = valid(withMinimalTargets(""), dir).group();
      assertThat(g).isEqualTo(GroupConfig.none());
      assertThat(g.enabled()).isFalse();
    }

    @Test
    void aNameAloneGets64ShardsA10sSessionAnd1sHeartbeats() {
      GroupConfig g = valid(withMinimalTargets(KAFKA + "group: {name: vigil-eu}"), dir).group();
      assertThat(g).isEqualTo(new GroupConfig("vigil-eu", 64, Duration.ofSeconds(10), Duration.ofSeconds(1)));
      assertThat(g.enabled()).isTrue();
    }

    @Test
    void givenValuesAreRead() {
      GroupConfig g = valid(withMinimalTargets(KAFKA
          + "group: {name: g1, shards: 128, sessionTimeout: 6s, heartbeatInterval: 500ms}"), dir).group();
      assertThat(g).isEqualTo(new GroupConfig("g1", 128, Duration.ofSeconds(6), Duration.ofMillis(500)));
    }
  }

  @Nested
  class Errors {
    @Test
    void aGroupWithoutKafkaIsRefused() {
      assertThat(errors(withMinimalTargets("group: {name: g1}"), dir))
          .containsExactly("group: a group needs kafka.bootstrapServers: its members meet in a Kafka consumer group");
    }

    @Test
    void theNameIsRequired() {
      assertThat(errors(withMinimalTargets(KAFKA + "group: {shards: 8}"), dir)).containsExactly("group.name: required");
    }

    @Test
    void unknownKeysAndBadValuesNameTheirPath() {
      assertThat(errors(withMinimalTargets(KAFKA
          + "group: {name: 'a b', shards: 0, sessionTimeout: 40m, heartbeatInterval: 10ms, members: 3}"), dir))
          .anyMatch(e -> e.startsWith("group.members: unknown key; expected one of: name, shards, sessionTimeout,"
              + " heartbeatInterval"))
          .anyMatch(e -> e.startsWith("group.name: use letters, digits"))
          .anyMatch(e -> e.startsWith("group.shards: must be"))
          .anyMatch(e -> e.startsWith("group.sessionTimeout: must be from 1s to 30m, got 40m"))
          .anyMatch(e -> e.startsWith("group.heartbeatInterval: must be at least 100ms, got 10ms"));
    }

    @Test
    void heartbeatsMustFitThreeTimesInTheSession() {
      assertThat(errors(withMinimalTargets(KAFKA + "group: {name: g, sessionTimeout: 6s, heartbeatInterval: 3s}"), dir))
          .containsExactly("group.heartbeatInterval: must be at most a third of group.sessionTimeout (6s)");
    }

    @Test
    void aGroupThatIsNoMappingIsRefused() {
      assertThat(errors(withMinimalTargets(KAFKA + "group: three"), dir))
          .anyMatch(e -> e.startsWith("group: expected a mapping with keys name, shards"));
    }
  }
}
