package dev.vigil.state;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Observation;
import dev.vigil.score.TargetId;
import dev.vigil.score.TargetMemory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the heap the fleet-wide view ({@link KafkaFleetState}) holds per target: N snapshots of
 * a 30 s target with a full default window (10 compliant polls), each encoded by {@link
 * SnapshotCodec}, decoded and kept as a {@link FleetState.Entry} the way the view does; used heap
 * after full GCs minus before, per target. Also prints the encoded record size. A measurement run by
 * hand ({@code docs/scaling.md}), not a test. Usage: {@code FleetStateFootprint N}.
 */
public final class FleetStateFootprint {
  private FleetStateFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Instant now = Instant.parse("2026-12-02T00:00:00Z");
    long before = used();
    Map<TargetId, FleetState.Entry> latest = new ConcurrentHashMap<>();
    Map<String, String> owners = new java.util.HashMap<>();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      TargetId id = new TargetId(String.format("service-%07d", i), i % 2 == 0 ? "green" : "blue");
      List<TargetMemory.Entry> window = new ArrayList<>();
      for (int p = 9; p >= 0; p--) {
        window.add(new TargetMemory.Entry(new Observation(id, now.minusSeconds(30L * p), Verdict.COMPLIANT, "", true,
            true, Duration.ofMillis(4 + p), null, null), TargetMemory.Attribution.TARGET));
      }
      byte[] record = SnapshotCodec.encode(new TargetSnapshot(id, now, 1000L + i, new TargetMemory(window, Map.of(),
          List.of())));
      bytes += record.length;
      String by = new String(("monitor-" + i % 3).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      FleetState.Entry e = FleetState.Entry.of(SnapshotCodec.decodeSnapshot(record), owners.computeIfAbsent(by, k -> k),
          Duration.ofMinutes(3));
      latest.put(e.target(), e);
    }
    long after = used();
    System.out.printf("%d targets: %.0f bytes of heap per target in the fleet view; %.0f bytes per encoded snapshot%n",
        n, (after - before) / (double) n, bytes / (double) n);
    System.out.println(latest.size() == n ? "" : "lost entries");
  }

  private static long used() {
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
