package dev.vigil.http;

import dev.vigil.score.Breach;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the monitor's HTTP server shows, taken at once on the monitor's context so that the server
 * (on event loops of its own) never reads the monitor's mutable state. Immutable.
 *
 * @param overloadedSince when the current overload began, or null when not overloaded
 * @param eventLoopDelay the latest measured delay of the polling event loop
 * @param workerQueueWait the latest measured wait of a task for a verification worker
 * @param recentlyResolved the most recently resolved breaches, newest first
 */
public record MonitorSnapshot(String monitorId, Instant takenAt, List<TargetStatus> targets,
    Map<String, Double> fleetScores, boolean partitioned, boolean overloaded, Instant overloadedSince,
    Duration eventLoopDelay, Duration workerQueueWait, List<Breach> openBreaches, List<Breach> recentlyResolved,
    List<String> relaxedVerification) {
  public MonitorSnapshot {
    targets = List.copyOf(targets);
    relaxedVerification = List.copyOf(relaxedVerification);
    fleetScores = Map.copyOf(fleetScores);
    openBreaches = List.copyOf(openBreaches);
    recentlyResolved = List.copyOf(recentlyResolved);
  }
}
