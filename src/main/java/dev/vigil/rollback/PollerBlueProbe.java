package dev.vigil.rollback;

import dev.vigil.attest.Verification;
import dev.vigil.attest.Verdict;
import dev.vigil.config.TargetConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.poll.PollResult;
import dev.vigil.poll.PollTarget;
import dev.vigil.poll.Poller;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls the blue side with the same {@link Poller} and verifier the monitor uses: a fresh nonce,
 * the target's trusted keys and its environment's policy. The blue targets come from the
 * configuration's {@code targets} whose environment is the rollback's {@code to}. A service
 * without a blue target cannot be validated: its probe answers {@code unreachable} with a detail.
 *
 * <p>Confined to one Vert.x context, like the poller.
 */
public final class PollerBlueProbe implements BlueProbe {
  private final Poller poller;
  private final Map<String, PollTarget> blue = new HashMap<>();
  private final String to;

  public PollerBlueProbe(Poller poller, VigilConfig config) {
    this(poller, config, config.rollback().to());
  }

  /** Polls the targets of {@code environment} instead (a rollout's {@code to} side: green). */
  public PollerBlueProbe(Poller poller, VigilConfig config, String environment) {
    this.poller = poller;
    this.to = environment;
    for (TargetConfig t : config.targets()) {
      if (t.environment().equals(environment)) {
        blue.put(t.service(), PollTarget.of(t, config.policyFor(t.environment()), config.polling().maxResponseBytes(),
            config.polling().retryBackoff()));
      }
    }
  }

  @Override
  public Future<Verification> probe(String service) {
    PollTarget t = blue.get(service);
    if (t == null) {
      return Future.succeededFuture(new Verification(Verdict.UNREACHABLE,
          "no target configured for " + service + " in environment " + to, false, List.of(), null));
    }
    return poller.poll(t).map(PollResult::verification);
  }

  /** Whether {@code service} has a target in this probe's environment. */
  public boolean knows(String service) {
    return blue.containsKey(service);
  }
}
