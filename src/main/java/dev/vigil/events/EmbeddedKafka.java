package dev.vigil.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, from the
 * {@code kafka_2.13} artifact: storage formatted with {@code kafka.tools.StorageTool}, then a
 * {@code kafka.server.KafkaRaftServer} on 127.0.0.1 with free ports. Small-heap settings: a 2 MiB
 * log cleaner buffer, replication factor 1 for the internal topics.
 *
 * <p>{@link #stop()} and {@link #start()} may be called again: the broker comes back on the same
 * ports with the same data, which is how tests take Kafka away and bring it back. Not thread-safe:
 * drive it from one thread.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dir;
  private final boolean ownsDir;
  private final int brokerPort;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;
  private boolean formatted;

  private EmbeddedKafka(Path dir, boolean ownsDir, Map<String, String> overrides) {
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.overrides = Map.copyOf(overrides);
    this.brokerPort = freePort();
    this.controllerPort = freePort();
  }

  /** A broker whose data lives in a new temporary directory, deleted by {@link #close()}. */
  public static EmbeddedKafka create() {
    try {
      return new EmbeddedKafka(Files.createTempDirectory("vigil-kafka-"), true, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A broker whose data lives in {@code dir} (kept on close), with extra broker properties. */
  public static EmbeddedKafka in(Path dir, Map<String, String> overrides) {
    return new EmbeddedKafka(dir, false, overrides);
  }

  /** {@code 127.0.0.1:port} of the broker listener. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public boolean running() {
    return server != null;
  }

  /** Formats the storage on first start, then starts the broker; returns once it serves requests. */
  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    Properties props = properties();
    if (!formatted) {
      format(props);
      formatted = true;
    }
    long t0 = System.nanoTime();
    KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    s.startup();
    server = s;
    LOG.info("embedded Kafka broker at {} started in {} ms (data in {})", bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000, dir);
    return this;
  }

  /** Stops the broker (its data stays); clients see it as unreachable. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.info("embedded Kafka broker at {} stopped", bootstrapServers());
  }

  @Override
  public synchronized void close() {
    stop();
    if (ownsDir) {
      deleteTree(dir);
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The default 128 MiB dedupe buffer is allocated up front and kills small heaps.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 << 20));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("auto.create.topics.enable", "true");
    p.put("controlled.shutdown.enable", "false");
    p.putAll(overrides);
    return p;
  }

  private void format(Properties props) {
    Path config = dir.resolve("server.properties");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(config)) {
        props.store(out, "vigil embedded broker");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(new String[] {"format", "--config", config.toString(), "--cluster-id",
          Uuid.randomUuid().toString(), "--ignore-formatted"}, ps);
    }
    if (rc != 0) {
      throw new IllegalStateException("kafka-storage format failed (" + rc + "): " + text.toString(StandardCharsets.UTF_8));
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("cannot delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", root, e.toString());
    }
  }
}
