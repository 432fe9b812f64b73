package dev.vigil.http;

import dev.vigil.events.CloudEvent;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.RolloutData;
import java.time.Instant;
import java.util.List;

/** The rollback controller's events (events-v1) for the status page tests. */
public final class TrafficFixtures {
  private TrafficFixtures() {}

  /** A {@code rollback.finished} of {@code service} green → blue. */
  public static CloudEvent rollback(String service, String id, RollbackFinished.Status status, Instant finished) {
    RollbackFinished r = new RollbackFinished(id, "b-" + service + "-green-hash_mismatch", "e-" + id, service, "green",
        "blue", status, status == RollbackFinished.Status.SUCCEEDED ? "blue attested compliant 2 times in a row"
            : "cooldown: last rollback 1 min ago", finished.minusMillis(2540), finished, 2540);
    return new CloudEvent("ev-" + id, "vigil://monitor/controller-0", CloudEvent.ROLLBACK_FINISHED, service, finished, r);
  }

  /** A {@code rollout.step} of {@code service} blue → green at {@code step} of [10, 50, 90, 100]. */
  public static CloudEvent step(String service, String id, int step, String state, Instant at) {
    List<Integer> steps = List.of(10, 50, 90, 100);
    int to = step == 0 ? 0 : steps.get(step - 1);
    RolloutData d = new RolloutData(false, id, service, "blue", "green", step, steps, 100 - to, state,
        List.of(new RolloutData.Analysis("attestations", 6, 3, true), new RolloutData.Analysis("latency_p95", 0.41, 2.0, true)),
        "step " + step + " of 4: green " + to + " %", null, at);
    return new CloudEvent("ev-" + id + "-" + step + "-" + state, "vigil://monitor/controller-0", CloudEvent.ROLLOUT_STEP,
        service, at, d);
  }

  /** A {@code rollout.finished} of {@code service} with {@code status} ({@code promoted}: green 100 %). */
  public static CloudEvent finished(String service, String id, String status, Instant started, Instant at) {
    int fromWeight = status.equals("promoted") ? 0 : 100;
    RolloutData d = new RolloutData(true, id, service, "blue", "green", 0, List.of(10, 50, 90, 100), fromWeight, status,
        List.of(), status + " by the analysis", started, at);
    return new CloudEvent("ev-" + id + "-" + status, "vigil://monitor/controller-0", CloudEvent.ROLLOUT_FINISHED, service,
        at, d);
  }
}
