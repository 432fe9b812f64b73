package dev.vigil.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.kafka.KafkaBroker;
import dev.vigil.kafka.KafkaBrokerExtension;
import dev.vigil.poll.TestVertx;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a monitor built by {@link MonitorBuilder} owns: with a {@code kafka} section and no sink
 * given, its verticle opens the event pipeline at deploy (the publisher runs, the outbox metrics are
 * on /metrics) and closes it at undeploy; an outbox it cannot open refuses the deploy, naming the
 * directory. A real Kafka broker, a real HTTP server on 127.0.0.1 port 0.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitorBuilderIT {
  private static final String PUBLISHER_THREAD = "vigil-event-publisher";
  @TempDir Path dir;

  @Nested
  class KafkaPipeline {
    @Test
    void opensAtDeployAndClosesAtUndeploy(KafkaBroker broker) throws Exception {
      VigilConfig config = config(broker.bootstrapServers(), dir.resolve("outbox"));
      long before = publishers();
      Vertx vertx = TestVertx.create();
      try {
        MonitorVerticle verticle = MonitorBuilder.of(config).build();
        TestVertx.await(vertx.deployVerticle(verticle));
        assertThat(publishers()).as("the breach events' publisher and the evidence checkpoints' (evidence is on by"
            + " default)").isEqualTo(before + 2);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + verticle.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("constitutional_events_outbox_pending").contains("jvm_memory_used_bytes");

        TestVertx.await(vertx.undeploy(verticle.deploymentID()));
        await().atMost(Duration.ofSeconds(10)).until(() -> publishers() == before);
      } finally {
        TestVertx.await(vertx.close());
      }
    }

    @Test
    void anOutboxItCannotOpenRefusesTheDeploy() throws Exception {
      Path notADirectory = Files.writeString(dir.resolve("outbox"), "a file where the outbox directory should be");
      VigilConfig config = config("127.0.0.1:9", notADirectory);
      Vertx vertx = TestVertx.create();
      try {
        assertThatThrownBy(() -> TestVertx.await(vertx.deployVerticle(MonitorBuilder.of(config).build())))
            .isInstanceOf(ExecutionException.class)
            .cause().hasMessageContaining("cannot open the event outbox " + notADirectory);
      } finally {
        TestVertx.await(vertx.close());
      }
    }
  }

  private VigilConfig config(String bootstrap, Path outbox) throws Exception {
    SigningKey key = Keys.generate(Scheme.ED25519, new SecureRandom());
    Files.writeString(dir.resolve("event.key.pem"), key.privatePem());
    Files.writeString(dir.resolve("target.pub.pem"), key.publicKey().toPem());
    String yaml = "monitorId: builder-test\n"
        + "server: {host: 127.0.0.1, port: 0}\n"
        + "kafka: {bootstrapServers: '" + bootstrap + "'}\n"
        + "events: {outboxDir: '" + outbox + "', signingKey: event.key.pem}\n"
        + "targets:\n"
        + "  - {service: svc, environment: green, url: 'http://127.0.0.1:9', keys: [{file: target.pub.pem}]}\n";
    ConfigResult r = ConfigLoader.parse(yaml, dir, Map.of());
    assertThat(r.errors()).isEmpty();
    return r.orElseThrow();
  }

  private static long publishers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(PUBLISHER_THREAD) && t.isAlive()).count();
  }
}
