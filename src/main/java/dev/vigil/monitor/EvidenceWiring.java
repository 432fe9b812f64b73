package dev.vigil.monitor;

import dev.vigil.config.VigilConfig;
import dev.vigil.events.CheckpointPublisher;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.NoteKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what the evidence section of a configuration asks for: the log in {@code evidence.dir}, the
 * note key from the monitor's event key ({@code events.signingKey}, which must be Ed25519 to sign
 * C2SP checkpoints; without it entries are recorded unsigned and said so), and, with Kafka, the
 * checkpoint publisher. Blocking file I/O: call it on a worker. Stateless.
 */
final class EvidenceWiring {
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceWiring.class);

  private EvidenceWiring() {}

  /** The recorder (not started) and the publisher it hands checkpoints to (null without Kafka). */
  record Opened(EvidenceRecorder recorder, CheckpointPublisher publisher) {}

  /** Null when {@code config.evidence()} is off. */
  /**
   * Where this instance records: {@code evidence.dir}, or for a member of a group (every member runs
   * the same configuration) {@code evidence.dir/<monitorId>}, so that members sharing a disk never
   * write one log (each member keeps its own log, evidence-v1).
   */
  static Path dirOf(VigilConfig config) {
    return config.group().enabled() ? config.evidence().dir().resolve(config.monitorId()) : config.evidence().dir();
  }

  static Opened open(VigilConfig config, Clock clock, MeterRegistry registry) throws IOException {
    if (!config.evidence().enabled()) {
      return null;
    }
    NoteKey key = null;
    if (config.events().signingKey() != null) {
      try {
        key = NoteKey.signer(Checkpoint.ORIGIN_PREFIX + config.monitorId(), config.events().signingKey());
      } catch (IllegalArgumentException e) {
        LOG.warn("evidence checkpoints are not signed: {} (a C2SP signed note needs an Ed25519 event key)", e.getMessage());
      }
    }
    Path dir = dirOf(config);
    EvidenceLog log = EvidenceLog.open(dir, config.monitorId(), config.evidence().flushInterval(), clock);
    if (log.recovery().tailBytes() > 0) {
      LOG.warn("evidence log {}: {} bytes of an entry cut short by a crash removed; the log continues at entry {}",
          dir, log.recovery().tailBytes(), log.size());
    }
    CheckpointPublisher publisher = null;
    try {
      if (key != null && config.kafka().enabled()) {
        publisher = CheckpointPublisher.start(config.monitorId(), config.kafka(), config.events());
      }
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    LOG.info("evidence log {}: {} entries, fsync at most every {}, a sample per target every {}, checkpoints every {}{}",
        dir, log.size(), dev.vigil.config.Durations.format(config.evidence().flushInterval()),
        dev.vigil.config.Durations.format(config.evidence().sampleInterval()),
        dev.vigil.config.Durations.format(config.evidence().checkpointInterval()),
        publisher == null ? "" : " (published to " + CheckpointPublisher.TOPIC + ")");
    CheckpointPublisher p = publisher;
    EvidenceRecorder r = new EvidenceRecorder(log, key, config.evidence(), dir, clock, registry,
        p == null ? null : p::publish);
    return new Opened(r, publisher);
  }
}
