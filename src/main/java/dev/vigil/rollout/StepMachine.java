package dev.vigil.rollout;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rollout step machine: pure (no I/O, no Vert.x, the time is an argument). Given a {@link
 * Rollout}, {@link #next} says what to do now; the other methods apply what happened and return
 * the next {@link Rollout}, which the runtime records before it acts on it.
 *
 * <p>A rollout analyses before each step and every {@code analysisInterval} during the dwell at a
 * step. Once the dwell is over and an analysis passed, the next step's weight becomes the intent
 * ({@link Rollout#target}) unless it is a manual gate (then {@code waiting_approval} until {@link
 * #promote}). {@code failureLimit} failed analyses in a row abort; {@code inconclusiveLimit}
 * inconclusive ones in a row count as one failure. Aborting sets the weight back to 0 and
 * validates {@code from}. After the last step the promotion must be proven.
 *
 * <p>Operator commands answer a refusal as a value ({@link Control}). Stateless and thread-safe.
 */
public final class StepMachine {
  private final StepPolicy policy;

  /** A command's result: the next rollout, or why the command was refused (the rollout unchanged). */
  public record Control(Rollout rollout, String refused) {
    public boolean accepted() {
      return refused == null;
    }
  }

  public StepMachine(StepPolicy policy) {
    this.policy = policy;
  }

  /** A new rollout: progressing, nothing applied, analysed at once. */
  public Rollout start(String id, String service, String from, String to, List<String> then, Instant now) {
    return new Rollout(id, service, from, to, policy.steps(), RolloutState.PROGRESSING, null, 0, null, now, now,
        false, 0, 0, List.of(), "analysing " + to + " before the first step", now, null, 0, then);
  }

  /** What to do now. */
  public Action next(Rollout r, Instant now) {
    if (r.state().finished()) {
      return new Action.Done();
    }
    if (r.target() != null) {
      return new Action.SetWeight(r.target(), r.weightOf(r.target()));
    }
    return switch (r.state()) {
      case ABORTING -> new Action.ValidateFrom();
      case PAUSED, WAITING_APPROVAL -> new Action.Wait(null);
      default -> progressing(r, now);
    };
  }

  private Action progressing(Rollout r, Instant now) {
    if (r.step() == r.steps().size()) {
      return new Action.VerifyPromotion();
    }
    boolean dwelt = !now.isBefore(r.dwellUntil());
    // The gate: once the dwell is over, one analysis at once unless one already ran since (then the interval).
    boolean gateDue = dwelt && !r.ready() && r.nextAnalysis().isBefore(r.dwellUntil().plus(policy.analysisInterval()));
    if (!now.isBefore(r.nextAnalysis()) || gateDue) {
      return new Action.Analyze();
    }
    return new Action.Wait(dwelt ? r.nextAnalysis() : earlier(r.nextAnalysis(), r.dwellUntil()));
  }

  /** Applies an analysis made at {@code now}; ignored unless progressing with no weight being set. */
  public Rollout analysed(Rollout r, List<Check> checks, Instant now) {
    if (r.state() != RolloutState.PROGRESSING || r.target() != null || r.step() == r.steps().size()) {
      return r;
    }
    Rollout.Builder b = r.with();
    b.analysis = checks;
    b.nextAnalysis = now.plus(policy.analysisInterval());
    boolean failed = checks.stream().anyMatch(Check::failed);
    boolean inconclusive = !failed && checks.stream().anyMatch(Check::inconclusive);
    if (!failed && !inconclusive) {
      b.failures = 0;
      b.inconclusive = 0;
      if (!now.isBefore(r.dwellUntil())) {
        int k = r.step() + 1;
        if (policy.manualGates().contains(r.weightOf(k))) {
          b.state = RolloutState.WAITING_APPROVAL;
          b.detail = "step " + k + " of " + r.steps().size() + " (" + r.to() + " " + r.weightOf(k)
              + " %) waits for an operator's promote";
        } else {
          b.target = k;
          b.detail = "analysis passed: setting step " + k + " of " + r.steps().size();
        }
      }
      return b.build();
    }
    if (inconclusive) {
      b.inconclusive = r.inconclusive() + 1;
      if (b.inconclusive < policy.inconclusiveLimit()) {
        b.detail = "analysis inconclusive (" + b.inconclusive + " of " + policy.inconclusiveLimit() + "): "
            + names(checks, false);
        return b.build();
      }
      b.inconclusive = 0;
    }
    b.failures = r.failures() + 1;
    String what = failed ? "failed: " + names(checks, true) : "inconclusive " + policy.inconclusiveLimit()
        + " times in a row: " + names(checks, false);
    if (b.failures >= policy.failureLimit()) {
      return abortInto(b, "analysis " + what + " (" + b.failures + " failed analyses in a row, failureLimit "
          + policy.failureLimit() + ")");
    }
    b.detail = "analysis " + what + " (" + b.failures + " of " + policy.failureLimit() + ")";
    return b.build();
  }

  /** The intended weight is set (and read back) at {@code now}. */
  public Rollout applied(Rollout r, Instant now) {
    if (r.target() == null) {
      return r;
    }
    Rollout.Builder b = r.with();
    b.step = r.target();
    b.target = null;
    b.ready = false;
    if (r.state() == RolloutState.ABORTING) {
      return b.build();
    }
    b.dwellUntil = now.plus(policy.stepInterval());
    b.nextAnalysis = now.plus(policy.analysisInterval());
    b.detail = "step " + b.step + " of " + r.steps().size() + ": " + r.to() + " " + r.weightOf(b.step) + " %";
    return b.build();
  }

  /** The intended weight could not be set: forward, abort (back to {@code from}); back, {@code failed}. */
  public Rollout notApplied(Rollout r, String why, Instant now) {
    if (r.target() == null) {
      return r;
    }
    if (r.state() == RolloutState.ABORTING) {
      Rollout.Builder b = r.with();
      b.target = null;
      return finish(b, RolloutState.FAILED, "traffic could not be set back to " + r.from() + ": " + why + " (after: "
          + r.detail() + ")", now);
    }
    return abortInto(r.with(), "traffic could not be set to " + r.to() + " " + r.weightOf(r.target()) + " %: " + why);
  }

  /** Traffic is back on {@code from}; {@code validated} says whether {@code from} attested compliant. */
  public Rollout reverted(Rollout r, boolean validated, String validation, Instant now) {
    if (r.state() != RolloutState.ABORTING || r.target() != null) {
      return r;
    }
    return finish(r.with(), RolloutState.ABORTED, r.detail() + "; traffic back on " + r.from() + ", "
        + (validated ? "validated: " : "NOT validated: ") + validation, now);
  }

  /** The promotion check after the last step: {@code proven} or not ({@code failed}). */
  public Rollout promotion(Rollout r, boolean proven, String detail, Instant now) {
    if (r.state() != RolloutState.PROGRESSING || r.step() != r.steps().size() || r.target() != null) {
      return r;
    }
    return finish(r.with(), proven ? RolloutState.PROMOTED : RolloutState.FAILED,
        (proven ? "promoted: " : "promotion not proven: ") + detail, now);
  }

  /** A critical breach of the service: abort unless already aborting or finished. */
  public Rollout breach(Rollout r, String detail, Instant now) {
    if (r.state().finished() || r.state() == RolloutState.ABORTING) {
      return r;
    }
    return abortInto(r.with(), "breach: " + detail);
  }

  /** {@code pause}: progressing or waiting for approval. */
  public Control pause(Rollout r, Instant now) {
    if (r.state() != RolloutState.PROGRESSING && r.state() != RolloutState.WAITING_APPROVAL) {
      return refused(r, "cannot pause a rollout that is " + r.state().label());
    }
    Rollout.Builder b = r.with();
    b.pausedFrom = r.state();
    b.state = RolloutState.PAUSED;
    b.detail = "paused by an operator at step " + r.step() + " of " + r.steps().size();
    return new Control(b.build(), null);
  }

  /** {@code resume}: back to the state it was paused in; analyses at once. */
  public Control resume(Rollout r, Instant now) {
    if (r.state() != RolloutState.PAUSED) {
      return refused(r, "cannot resume a rollout that is " + r.state().label() + " (not paused)");
    }
    Rollout.Builder b = r.with();
    b.state = r.pausedFrom() == null ? RolloutState.PROGRESSING : r.pausedFrom();
    b.pausedFrom = null;
    b.nextAnalysis = now;
    b.ready = false;
    b.detail = "resumed by an operator at step " + r.step() + " of " + r.steps().size();
    return new Control(b.build(), null);
  }

  /** {@code promote}: approves the manual gate that waits; refused when none waits. */
  public Control promote(Rollout r, Instant now) {
    if (r.state() != RolloutState.WAITING_APPROVAL) {
      return refused(r, "no manual gate is waiting (the rollout is " + r.state().label() + ")");
    }
    Rollout.Builder b = r.with();
    b.state = RolloutState.PROGRESSING;
    b.target = r.step() + 1;
    b.detail = "promoted by an operator: setting step " + b.target + " of " + r.steps().size();
    return new Control(b.build(), null);
  }

  /** {@code abort}: from any running state but aborting. */
  public Control abort(Rollout r, Instant now) {
    if (r.state().finished()) {
      return refused(r, "the rollout already finished (" + r.state().label() + ")");
    }
    if (r.state() == RolloutState.ABORTING) {
      return refused(r, "the rollout is already aborting");
    }
    return new Control(abortInto(r.with(), "aborted by an operator"), null);
  }

  private static Rollout abortInto(Rollout.Builder b, String detail) {
    b.state = RolloutState.ABORTING;
    b.pausedFrom = null;
    b.target = 0;
    b.ready = false;
    b.detail = detail;
    return b.build();
  }

  private static Rollout finish(Rollout.Builder b, RolloutState state, String detail, Instant now) {
    b.state = state;
    b.pausedFrom = null;
    b.detail = detail;
    b.finishedAt = now;
    return b.build();
  }

  private static Control refused(Rollout r, String why) {
    return new Control(r, why);
  }

  private static String names(List<Check> checks, boolean failed) {
    return checks.stream().filter(c -> failed ? c.failed() : c.inconclusive())
        .map(c -> c.check() + (c.value() == null ? " (no data)" : " " + c.value() + " vs " + c.threshold()))
        .collect(Collectors.joining(", "));
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
