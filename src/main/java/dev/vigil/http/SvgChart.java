package dev.vigil.http;

import static dev.vigil.http.Html.esc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Inline SVG charts of a target's recent polls for its page: a verdict band (one bar per poll,
 * coloured by family, each titled) and line charts (score, probe latency) over a time span. No
 * scripts, no external assets. Pure; thread-safe.
 */
final class SvgChart {
  static final int WIDTH = 720;
  static final int HEIGHT = 150;
  private static final int LEFT = 56;
  private static final int RIGHT = 8;
  private static final int TOP = 10;
  private static final int BOTTOM = 22;

  private SvgChart() {}

  /** One bar per poll at its time, coloured and titled by verdict. */
  static String verdicts(List<TargetHistory.Sample> polls, Instant from, Instant to, String label) {
    StringBuilder s = open(label, 46);
    double w = Math.max(1.5, (WIDTH - LEFT - RIGHT) / (double) Math.max(1, polls.size()) * 0.8);
    for (TargetHistory.Sample p : polls) {
      s.append("<rect class=\"f-").append(PageAssets.family(p.verdict())).append("\" x=\"").append(num(x(p.at(), from, to) - w / 2))
          .append("\" y=\"").append(TOP).append("\" width=\"").append(num(w)).append("\" height=\"16\"><title>")
          .append(Html.time(p.at())).append(' ').append(p.verdict().label());
      if (p.detail() != null && !p.detail().isEmpty()) {
        s.append(": ").append(esc(p.detail()));
      }
      s.append("</title></rect>");
    }
    timeAxis(s, from, to, 40);
    return s.append("</svg>").toString();
  }

  /**
   * A line through {@code value} of each poll (NaN values break the line) scaled to {@code [0,
   * max]} (max at least {@code floor}), with the axis labelled by {@code format}.
   */
  static String line(List<TargetHistory.Sample> polls, ToDoubleFunction<TargetHistory.Sample> value, double floor,
      String unit, Instant from, Instant to, String label) {
    double max = floor;
    for (TargetHistory.Sample p : polls) {
      double v = value.applyAsDouble(p);
      if (Double.isFinite(v)) {
        max = Math.max(max, v);
      }
    }
    StringBuilder s = open(label, HEIGHT);
    int bottom = HEIGHT - BOTTOM;
    s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"").append(WIDTH - RIGHT)
        .append("\" y2=\"").append(bottom).append("\" stroke=\"#9aa0a6\"/>");
    s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(WIDTH - RIGHT)
        .append("\" y2=\"").append(TOP).append("\" stroke=\"#e0e0e0\"/>");
    s.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 4).append("\" text-anchor=\"end\">")
        .append(num(max)).append(' ').append(esc(unit)).append("</text><text x=\"").append(LEFT - 4).append("\" y=\"")
        .append(bottom).append("\" text-anchor=\"end\">0</text>");
    StringBuilder d = new StringBuilder(polls.size() * 16);
    boolean pen = false;
    for (TargetHistory.Sample p : polls) {
      double v = value.applyAsDouble(p);
      if (!Double.isFinite(v)) {
        pen = false;
        continue;
      }
      double y = bottom - (bottom - TOP) * (v / max);
      d.append(pen ? 'L' : 'M').append(num(x(p.at(), from, to))).append(' ').append(num(y));
      pen = true;
    }
    if (d.length() > 0) {
      s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"#0b57d0\" stroke-width=\"1.5\"/>");
      TargetHistory.Sample lastPoll = polls.get(polls.size() - 1);
      double last = value.applyAsDouble(lastPoll);
      if (Double.isFinite(last)) {
        s.append("<circle cx=\"").append(num(x(lastPoll.at(), from, to))).append("\" cy=\"")
            .append(num(bottom - (bottom - TOP) * (last / max))).append("\" r=\"2.5\" fill=\"#0b57d0\"/>");
      }
    } else {
      s.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2).append("\" text-anchor=\"middle\">")
          .append("no data yet</text>");
    }
    timeAxis(s, from, to, HEIGHT - 6);
    return s.append("</svg>").toString();
  }

  private static StringBuilder open(String label, int height) {
    StringBuilder s = new StringBuilder(8192);
    return s.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(height).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\"><title>").append(esc(label))
        .append("</title><style>text{font:11px system-ui,sans-serif;fill:#3c4043}.f-ok{fill:#1e8e3e}")
        .append(".f-integrity{fill:#c5221f}.f-availability{fill:#e37400}.f-other{fill:#8e63ce}.f-pending{fill:#dadce0}</style>");
  }

  private static void timeAxis(StringBuilder s, Instant from, Instant to, int y) {
    s.append("<text x=\"").append(LEFT).append("\" y=\"").append(y).append("\">").append(Html.time(from))
        .append("</text><text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(y).append("\" text-anchor=\"end\">")
        .append(Html.time(to)).append("</text>");
  }

  private static double x(Instant t, Instant from, Instant to) {
    double span = Math.max(1, Duration.between(from, to).toMillis());
    double f = Math.max(0, Math.min(1, Duration.between(from, t).toMillis() / span));
    return LEFT + f * (WIDTH - LEFT - RIGHT);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, v == Math.rint(v) && Math.abs(v) < 1e9 ? "%.0f" : "%.1f", v);
  }
}
