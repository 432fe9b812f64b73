package dev.vigil.group;

import dev.vigil.config.VigilConfig;
import dev.vigil.http.GroupView;
import dev.vigil.state.FleetState;
import dev.vigil.state.KafkaFleetState;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A monitor's part in a group: its {@link GroupMember} (the shards it polls) and, when it keeps its
 * state in Kafka, the read-only {@link KafkaFleetState} tail of the state topic behind the
 * fleet-wide view of its status page and API ({@link #view}). Opened after the state store (which
 * creates the topic). Thread-safe: {@link #view} from any thread; {@link #close} once.
 */
public final class MonitorGroup implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorGroup.class);
  private final VigilConfig config;
  private final Clock clock;
  private final GroupMember member;
  private final FleetState fleet;

  private MonitorGroup(VigilConfig config, Clock clock, GroupMember member, FleetState fleet) {
    this.config = config;
    this.clock = clock;
    this.member = member;
    this.fleet = fleet;
  }

  /**
   * Tails the state topic (when {@code state} is on) and joins the group, handing shards to {@code
   * owner}. Blocking.
   *
   * @throws IOException naming the group topic when it cannot be created or has another partition count
   */
  public static MonitorGroup join(VigilConfig config, Clock clock, ShardOwner owner, MeterRegistry registry)
      throws IOException {
    FleetState fleet = config.state().enabled() ? KafkaFleetState.open(config.kafka(), config.scoring().window()) : null;
    if (fleet == null) {
      LOG.info("group {}: durable state is off, so the fleet-wide view shows this instance's targets only",
          config.group().name());
    }
    try {
      return new MonitorGroup(config, clock, GroupMember.join(config.kafka(), config.group(), owner, registry), fleet);
    } catch (IOException | RuntimeException e) {
      if (fleet != null) {
        fleet.close();
      }
      throw e;
    }
  }

  /** The group as this instance sees it now: its shards and the whole fleet from the state topic. */
  public GroupView view() {
    return GroupViews.build(config.group().name(), config.group().shards(), member.owned(), config.monitorId(),
        fleet == null ? Map.of() : fleet.latest(), fleet != null && fleet.caughtUp(), clock.instant());
  }

  /** Hands back the shards (their state saved first), leaves the group, stops tailing. Blocking. */
  @Override
  public void close() {
    try {
      member.close();
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }
}
