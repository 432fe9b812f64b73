package dev.vigil.rollback;

import dev.vigil.attest.Verification;
import dev.vigil.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * After the switch, polls the blue side until it attests compliant {@code consecutive} times in a
 * row (valid) or {@code timeout} passes (not valid). A poll that is not compliant resets the
 * streak. The decision of each step is the pure {@link Streak}; this class only schedules polls.
 *
 * <p>Use from one Vert.x context; the future completes on it and never fails.
 */
public final class BlueValidation {
  private final Vertx vertx;
  private final BlueProbe probe;
  private final int consecutive;
  private final Duration timeout;
  private final Duration interval;
  private final Clock clock;

  /** The result of a validation: valid or not, and a detail for {@code rollback.finished}. */
  public record Result(boolean valid, String detail) {}

  public BlueValidation(Vertx vertx, BlueProbe probe, int consecutive, Duration timeout, Duration interval, Clock clock) {
    this.vertx = vertx;
    this.probe = probe;
    this.consecutive = consecutive;
    this.timeout = timeout;
    this.interval = interval;
    this.clock = clock;
  }

  /** Validates {@code service}'s blue side; stops early (not valid) once {@code cancelled} says so. */
  public Future<Result> validate(String service, BooleanSupplier cancelled) {
    Streak streak = new Streak(consecutive, clock.instant().plus(timeout), timeout);
    Promise<Result> done = Promise.promise();
    step(service, streak, cancelled, done);
    return done.future();
  }

  private void step(String service, Streak streak, BooleanSupplier cancelled, Promise<Result> done) {
    if (cancelled.getAsBoolean()) {
      done.tryComplete(new Result(false, "validation cancelled: " + streak.summary()));
      return;
    }
    probe.probe(service).onComplete(ar -> {
      Verification v = ar.succeeded() ? ar.result() : null;
      Streak.Step s = streak.observe(v, clock.instant(), interval);
      switch (s) {
        case VALID -> done.tryComplete(new Result(true, streak.summary()));
        case EXPIRED -> done.tryComplete(new Result(false, streak.summary()));
        default -> vertx.setTimer(Math.max(1, interval.toMillis()), id -> step(service, streak, cancelled, done));
      }
    });
  }

  /**
   * The pure state of one validation: the streak of compliant polls and the deadline. Not
   * thread-safe; one validation owns it.
   */
  public static final class Streak {
    /** What to do after a poll. */
    public enum Step { VALID, CONTINUE, EXPIRED }

    private final int needed;
    private final Instant deadline;
    private final Duration timeout;
    private int streak;
    private int polls;
    private String last = "no poll yet";

    public Streak(int needed, Instant deadline, Duration timeout) {
      this.needed = needed;
      this.deadline = deadline;
      this.timeout = timeout;
    }

    /**
     * Counts one poll's verification (null when the poll itself failed) seen at {@code now}; the
     * validation expires when the next poll, {@code interval} later, would start past the deadline.
     */
    public Step observe(Verification v, Instant now, Duration interval) {
      polls++;
      if (v != null && v.compliant()) {
        streak++;
        if (streak >= needed) {
          return Step.VALID;
        }
      } else {
        streak = 0;
        last = v == null ? "poll failed" : v.toString();
      }
      return now.plus(interval).isAfter(deadline) ? Step.EXPIRED : Step.CONTINUE;
    }

    public String summary() {
      if (streak >= needed) {
        return "blue attested compliant " + needed + " times in a row";
      }
      return "blue did not attest compliant " + needed + " times in a row within " + Durations.format(timeout)
          + " (" + polls + " polls; last non-compliant: " + last + ")";
    }
  }
}
