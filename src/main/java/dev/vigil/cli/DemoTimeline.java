package dev.vigil.cli;

import dev.vigil.attest.Verdict;
import dev.vigil.monitor.MonitorListener;
import dev.vigil.poll.PollResult;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's readable timeline: verdict changes, breaches opened and resolved (with the time from
 * the fault to detection), partitions and reloads, each stamped with the time since the demo
 * began. Called on the monitor's context; printing is synchronized on the writer.
 */
final class DemoTimeline implements MonitorListener {
  private final PrintWriter out;
  private final Clock clock;
  private final Instant start;
  private final Map<TargetId, Instant> faultAt = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Instant> breachAt = new java.util.concurrent.ConcurrentHashMap<>();

  DemoTimeline(PrintWriter out, Clock clock) {
    this.out = out;
    this.clock = clock;
    this.start = clock.instant();
  }

  void fault(TargetId id, String what) {
    faultAt.put(id, clock.instant());
    line("FAULT", what);
  }

  void note(String what) {
    line("NOTE", what);
  }

  void cycle(Map<String, Double> fleet, long compliant, int total) {
    StringBuilder b = new StringBuilder();
    fleet.forEach((env, score) -> b.append("fleet score ").append(env).append(' ')
        .append(String.format(Locale.ROOT, "%5.1f %%", score * 100)).append("   "));
    b.append(compliant).append('/').append(total).append(" compliant");
    line("CYCLE", b.toString());
  }

  @Override
  public void onPoll(PollResult r, Verdict previous) {
    Verdict now = r.verification().verdict();
    if (previous != null && previous != now) {
      line("VERDICT", r.target() + " " + previous.label() + " -> " + now.label() + ": " + r.verification().detail());
    } else if (previous == null && now != Verdict.COMPLIANT) {
      line("VERDICT", r.target() + " first poll: " + now.label() + ": " + r.verification().detail());
    }
  }

  @Override
  public void onTransition(BreachTransition t) {
    Breach b = t.breach();
    if (t.kind() == BreachTransition.Kind.OPENED) {
      breachAt.put(b.breachId(), b.openedAt());
      Instant f = faultAt.get(b.target());
      String since = f == null ? "" : String.format(Locale.ROOT, ", detected %.1f s after the fault",
          Duration.between(f, b.openedAt()).toMillis() / 1000.0);
      line("BREACH", "OPENED " + b.rule() + " (" + b.severity().label() + ") " + b.target() + ": observed "
          + b.observed() + ", expected " + b.expected() + since + "  [" + b.breachId() + "]");
    } else {
      line("BREACH", "RESOLVED " + b.rule() + " " + b.target() + " after "
          + Duration.between(b.openedAt(), b.resolvedAt()).toSeconds() + " s  [" + b.breachId() + "]");
    }
  }

  /** A finished rollback, as the controller published it; from any thread. */
  void rollback(dev.vigil.events.RollbackFinished o) {
    if (o.status() == dev.vigil.events.RollbackFinished.Status.SKIPPED) {
      line("ROLLBACK", "skipped " + o.service() + ": " + o.detail());
      return;
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %s %s->%s in %.1f s", o.status().label(),
        o.service(), o.from(), o.to(), o.durationMs() / 1000.0));
    Instant opened = o.breachId() == null ? null : breachAt.get(o.breachId());
    Instant f = faultAt.get(new TargetId(o.service(), o.from()));
    if (opened != null) {
      b.append(" (");
      if (f != null) {
        b.append(String.format(Locale.ROOT, "breach detected %.1f s after the fault; ",
            Duration.between(f, opened).toMillis() / 1000.0));
      }
      b.append(String.format(Locale.ROOT, "breach detected -> rollback finished %.1f s)",
          Duration.between(opened, o.finishedAt()).toMillis() / 1000.0));
    }
    line("ROLLBACK", b.append(": ").append(o.detail()).toString());
  }

  @Override
  public void onPartition(boolean partitioned, String why) {
    line("MONITOR", (partitioned ? "PARTITIONED: " : "") + why);
  }

  @Override
  public void onReload(boolean ok, List<String> errors) {
    line("RELOAD", ok ? "configuration reloaded" : "configuration refused: " + errors);
  }

  void line(String kind, String text) {
    long s = Duration.between(start, clock.instant()).toSeconds();
    synchronized (out) {
      out.printf(Locale.ROOT, "[%02d:%02d] %-8s %s%n", s / 60, s % 60, kind, text);
      out.flush();
    }
  }
}
