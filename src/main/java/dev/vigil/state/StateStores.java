package dev.vigil.state;

import dev.vigil.config.VigilConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/** The one way a monitor opens its state store, from its configuration. Stateless; blocking. */
public final class StateStores {
  private StateStores() {}

  /**
   * The compacted Kafka topic when {@code kafka.bootstrapServers} is set, else the local record log
   * in {@code state.dir}; empty when durable state is off ({@link dev.vigil.config.StateConfig#enabled()}).
   *
   * @throws IOException naming the file or topic: it cannot be opened, holds a record this version
   *     cannot read, or the topic exists without compaction (the monitor must not start then)
   */
  public static Optional<StateStore> open(VigilConfig config, Clock clock) throws IOException {
    if (!config.state().enabled()) {
      return Optional.empty();
    }
    if (config.kafka().enabled()) {
      return Optional.of(KafkaStateStore.openAs(config.kafka(), config.monitorId()));
    }
    return Optional.of(LocalStateStore.open(config.state().dir(), clock));
  }
}
