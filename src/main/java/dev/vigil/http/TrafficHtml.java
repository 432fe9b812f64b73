package dev.vigil.http;

import static dev.vigil.http.Html.esc;

import dev.vigil.events.RollbackFinished;
import dev.vigil.events.RolloutData;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The pages' parts about the rollback controller's work ({@link TrafficView}): the rollouts in
 * progress at the top of the status page, the traffic weight of a cell, and a target's rollbacks
 * and rollouts. Every string from an event is escaped. Pure; thread-safe.
 */
final class TrafficHtml {
  private TrafficHtml() {}

  /** The rollouts in progress as a table at the top of the status page; "" when none. */
  static String inProgress(TrafficView.Snapshot t, Instant now) {
    List<RolloutData> running = t.inProgress();
    if (running.isEmpty()) {
      return "";
    }
    StringBuilder h = new StringBuilder(1024);
    h.append("<table class=\"breaches rollouts\"><caption class=\"banner info\"><b>⇄ ").append(running.size())
        .append(running.size() == 1 ? " rollout" : " rollouts").append(" in progress</b></caption><thead><tr>")
        .append("<th scope=\"col\">service</th><th scope=\"col\">step</th><th scope=\"col\">weights</th>")
        .append("<th scope=\"col\">state</th><th scope=\"col\">last analysis</th><th scope=\"col\">next analysis</th>")
        .append("</tr></thead><tbody>");
    for (RolloutData r : running) {
      h.append("<tr data-rollout-id=\"").append(esc(r.rolloutId())).append("\" title=\"rollout ").append(esc(r.rolloutId()))
          .append("\"><td data-label=\"service\"><a href=\"").append(StatusPage.targetHref(new TargetId(r.service(), r.to())))
          .append("\">").append(esc(r.service())).append("</a></td><td data-label=\"step\">").append(r.step()).append(" of ")
          .append(r.steps().size()).append("</td><td data-label=\"weights\">").append(weights(r))
          .append("</td><td data-label=\"state\">").append(esc(r.stateOrStatus())).append(", ")
          .append(Html.timeAgo(r.at(), now)).append("</td><td data-label=\"last analysis\">").append(analysis(r))
          .append("</td><td data-label=\"next analysis\">").append(next(t, r, now)).append("</td></tr>");
    }
    return h.append("</tbody></table>").toString();
  }

  /** "from 50 % · to 50 %". */
  static String weights(RolloutData r) {
    return esc(r.from()) + " " + r.fromWeight() + " % · " + esc(r.to()) + " " + (100 - r.fromWeight()) + " %";
  }

  private static String analysis(RolloutData r) {
    if (r.analysis().isEmpty()) {
      return "none yet";
    }
    StringBuilder h = new StringBuilder();
    for (RolloutData.Analysis a : r.analysis()) {
      if (h.length() > 0) {
        h.append(", ");
      }
      h.append(a.passed() ? "✓ " : "✗ ").append(esc(Html.clip(a.check(), 40))).append(' ').append(number(a.value()))
          .append(a.passed() ? " within " : " beyond ").append(number(a.threshold()));
    }
    return h.toString();
  }

  private static String number(Number n) {
    if (n == null) {
      return "no data";
    }
    return n instanceof Integer || n instanceof Long ? n.toString() : String.format(Locale.ROOT, "%.3g", n.doubleValue());
  }

  private static String next(TrafficView.Snapshot t, RolloutData r, Instant now) {
    return switch (r.stateOrStatus()) {
      case "progressing" -> "≈ " + Html.time(t.nextAnalysis(r, now)) + " <small>(every "
          + t.analysisInterval().toSeconds() + " s)</small>";
      case "paused" -> "paused by an operator <small>(<code>vigil rollout resume</code>)</small>";
      case "waiting_approval" -> "waits for an operator <small>(<code>vigil rollout promote</code>)</small>";
      case "aborting" -> "none: traffic goes back to " + esc(r.from());
      default -> "—";
    };
  }

  /** A grid cell's weight: "weight 100 %" titled with its cause, or "weight unknown" titled with why. */
  static String cellWeight(TrafficView.Snapshot t, TargetId id) {
    TrafficView.Weight w = t.weight(id);
    if (w == null) {
      return "weight <span title=\"" + esc(unknownWhy(t)) + "\">unknown</span>";
    }
    return "weight <span class=\"weight\" title=\"" + esc(w.because()) + ", " + Html.time(w.since()) + "\">" + w.percent()
        + " %</span>";
  }

  /** The target page's "traffic weight" row. */
  static String weightRow(TrafficView.Snapshot t, TargetId id, Instant now) {
    TrafficView.Weight w = t.weight(id);
    if (w == null) {
      return "unknown <small>(" + esc(unknownWhy(t)) + ")</small>";
    }
    return "<b class=\"weight\">" + w.percent() + " %</b> <small>since " + Html.timeAgo(w.since(), now) + ", "
        + esc(w.because()) + "</small>";
  }

  private static String unknownWhy(TrafficView.Snapshot t) {
    return t.source() == null ? "the monitor reads the rollback controller's events only when Kafka is configured"
        : "no rollback or rollout of this service seen on " + t.source();
  }

  /** A banner when records of the controller's topics failed verification; "" otherwise. */
  static String rejected(TrafficView.Snapshot t) {
    if (t.rejected() == 0) {
      return "";
    }
    return "<div class=\"banner warn\" role=\"alert\"><b>⚠ " + t.rejected() + (t.rejected() == 1 ? " event" : " events")
        + " on " + esc(t.source()) + " failed verification</b> (unsigned, untrusted key, tampered or malformed) and "
        + (t.rejected() == 1 ? "is" : "are") + " not shown.</div>";
  }

  /** The target page's section: the service's rollouts and rollbacks. */
  static void section(StringBuilder h, TrafficView.Snapshot t, TargetId id, Instant now) {
    List<RolloutData> rollouts = t.rollouts().getOrDefault(id.service(), List.of());
    List<RollbackFinished> rollbacks = t.rollbacks().getOrDefault(id.service(), List.of());
    h.append("<h2>Rollouts of ").append(esc(id.service())).append(" (").append(rollouts.size()).append(")</h2>");
    if (rollouts.isEmpty()) {
      h.append("<p>None seen").append(t.source() == null ? "" : " on " + esc(t.source())).append(".</p>");
    } else {
      h.append("<table class=\"breaches\"><thead><tr><th scope=\"col\">rollout</th><th scope=\"col\">state</th>")
          .append("<th scope=\"col\">step</th><th scope=\"col\">weights</th><th scope=\"col\">when</th>")
          .append("<th scope=\"col\">detail</th></tr></thead><tbody>");
      for (RolloutData r : rollouts) {
        h.append("<tr data-rollout-id=\"").append(esc(r.rolloutId())).append("\"><td data-label=\"rollout\"><code>")
            .append(esc(Html.clip(r.rolloutId(), 120))).append("</code></td><td data-label=\"state\">")
            .append(r.finished() ? (r.stateOrStatus().equals("promoted") ? "✓ " : "✗ ") : "⇄ ").append(esc(r.stateOrStatus()))
            .append("</td><td data-label=\"step\">").append(r.finished() ? "—" : r.step() + " of " + r.steps().size())
            .append("</td><td data-label=\"weights\">").append(weights(r)).append("</td><td data-label=\"when\">")
            .append(Html.timeAgo(r.at(), now)).append("</td><td data-label=\"detail\">").append(esc(Html.clip(r.detail(), 300)))
            .append("</td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<h2>Rollbacks of ").append(esc(id.service())).append(" (").append(rollbacks.size()).append(")</h2>");
    if (rollbacks.isEmpty()) {
      h.append("<p>None seen").append(t.source() == null ? "" : " on " + esc(t.source())).append(".</p>");
      return;
    }
    h.append("<table class=\"breaches\"><thead><tr><th scope=\"col\">status</th><th scope=\"col\">traffic</th>")
        .append("<th scope=\"col\">finished</th><th scope=\"col\">took</th><th scope=\"col\">detail</th></tr></thead><tbody>");
    for (RollbackFinished r : rollbacks) {
      boolean ok = r.status() == RollbackFinished.Status.SUCCEEDED;
      h.append("<tr data-rollback-id=\"").append(esc(r.rollbackId())).append("\" title=\"rollback ").append(esc(r.rollbackId()))
          .append(r.breachId() == null ? "" : " for breach " + esc(r.breachId())).append("\"><td data-label=\"status\">")
          .append(ok ? "✓ " : r.status() == RollbackFinished.Status.SKIPPED ? "– " : "✗ ").append(r.status().label())
          .append("</td><td data-label=\"traffic\">").append(esc(r.from())).append(" → ").append(esc(r.to()))
          .append("</td><td data-label=\"finished\">").append(Html.timeAgo(r.finishedAt(), now))
          .append("</td><td data-label=\"took\">").append(String.format(Locale.ROOT, "%.1f s", r.durationMs() / 1000.0))
          .append("</td><td data-label=\"detail\">").append(esc(Html.clip(r.detail(), 300))).append("</td></tr>");
    }
    h.append("</tbody></table>");
  }
}
