package dev.vigil.kafka;

import dev.vigil.events.EmbeddedKafka;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Hands every integration test class its real Kafka broker as a {@link KafkaBroker} parameter:
 * Testcontainers' {@code KafkaContainer} when a Docker engine is reachable AND the Kafka image is
 * already present locally (never pulled: with an engine but no registry a pull would wait for
 * minutes), else the embedded KRaft broker ({@link EmbeddedKafka}) in this JVM. The Docker probe
 * is bounded by a 5 s deadline; the choice and its reason are logged. One broker per test class,
 * closed after it.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  static final String IMAGE = "apache/kafka:4.1.1";

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    ExtensionContext classContext = e.getRoot() == e ? e : classContext(e);
    return classContext.getStore(ExtensionContext.Namespace.create(KafkaBrokerExtension.class))
        .getOrComputeIfAbsent("broker", k -> new Holder(create()), Holder.class).broker;
  }

  private static ExtensionContext classContext(ExtensionContext e) {
    ExtensionContext c = e;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  /** Closes the broker when the class's store is closed (JUnit closes AutoCloseable store values). */
  private static final class Holder implements AutoCloseable {
    final CloseableBroker broker;

    Holder(CloseableBroker broker) {
      this.broker = broker;
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  interface CloseableBroker extends KafkaBroker, AutoCloseable {
    @Override
    void close();
  }

  static CloseableBroker create() {
    String why = dockerWithImage();
    if (why == null) {
      LOG.warn("Kafka for the integration tests: Testcontainers {} (Docker engine with the image present)", IMAGE);
      return new ContainerBroker();
    }
    LOG.warn("Kafka for the integration tests: embedded KRaft broker in this JVM ({})", why);
    EmbeddedKafka k = EmbeddedKafka.create().start();
    return new CloseableBroker() {
      @Override
      public String bootstrapServers() {
        return k.bootstrapServers();
      }

      @Override
      public void stop() {
        k.stop();
      }

      @Override
      public void start() {
        k.start();
      }

      @Override
      public String kind() {
        return "embedded";
      }

      @Override
      public void close() {
        k.close();
      }
    };
  }

  /** Null when Docker is usable with the image already local; else why not. Never pulls, never hangs. */
  static String dockerWithImage() {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          if (!DockerClientFactory.instance().isDockerAvailable()) {
            return "no Docker engine";
          }
          DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
          return null;
        } catch (RuntimeException | LinkageError ex) {
          return "Docker engine present but image " + IMAGE + " is not local (" + ex.getClass().getSimpleName() + ")";
        }
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception ex) {
      return "Docker probe gave no answer within 5 s (" + ex.getClass().getSimpleName() + ")";
    }
  }

  /** Docker branch: KafkaContainer; stop/start pause and unpause it, so the address stays. */
  private static final class ContainerBroker implements CloseableBroker {
    private final KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));

    ContainerBroker() {
      container.start();
    }

    @Override
    public String bootstrapServers() {
      return container.getBootstrapServers();
    }

    @Override
    public void stop() {
      container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void start() {
      container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public String kind() {
      return "testcontainers";
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
