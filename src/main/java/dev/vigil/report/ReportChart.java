package dev.vigil.report;

import static dev.vigil.report.HtmlReport.esc;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The inline SVG chart of one target over the period: its compliance over time as a step line
 * (top: compliant, bottom: any other verdict), the verdict in force as a coloured band, breaches as
 * red bands across the chart and uncovered time in grey. Every title and label is escaped; no
 * scripts, no external assets. Pure; thread-safe.
 */
final class ReportChart {
  static final int WIDTH = 720;
  static final int HEIGHT = 120;
  private static final int LEFT = 64;
  private static final int RIGHT = 8;
  private static final int TOP = 8;
  private static final int LINE_BOTTOM = 70;
  private static final int BAND_Y = 78;
  private static final int BAND_H = 14;

  private ReportChart() {}

  static String of(Report.ServiceReport s, Instant from, Instant to) {
    StringBuilder b = new StringBuilder(4096);
    String label = "compliance over time of " + s.service() + " / " + s.environment();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\"><title>").append(esc(label))
        .append("</title>");
    b.append("<rect class=\"uncovered\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(BAND_Y + BAND_H - TOP)
        .append("\"><title>not covered</title></rect>");
    for (Report.BreachRecord br : s.breaches()) {
      Instant a = br.opened() == null || br.opened().isBefore(from) ? from : br.opened();
      Instant z = br.resolved() == null || br.resolved().isAfter(to) ? to : br.resolved();
      b.append("<rect class=\"breach\" x=\"").append(num(x(a, from, to))).append("\" y=\"").append(TOP)
          .append("\" width=\"").append(num(Math.max(1, x(z, from, to) - x(a, from, to)))).append("\" height=\"")
          .append(BAND_Y + BAND_H - TOP).append("\"><title>breach ").append(esc(br.rule())).append(" (")
          .append(esc(br.breachId())).append(") ").append(Fmt.time(br.opened())).append(" to ")
          .append(br.resolved() == null ? "open" : Fmt.time(br.resolved())).append("</title></rect>");
    }
    StringBuilder d = new StringBuilder();
    Instant penAt = null;
    for (Report.Run r : s.timeline()) {
      double x0 = x(r.from(), from, to);
      double x1 = x(r.to(), from, to);
      double y = "compliant".equals(r.verdict()) ? TOP : LINE_BOTTOM;
      d.append(r.from().equals(penAt) ? 'L' : 'M').append(num(x0)).append(' ').append(num(y)).append('L')
          .append(num(x1)).append(' ').append(num(y));
      penAt = r.to();
      b.append("<rect class=\"v-").append(family(r.verdict())).append("\" x=\"").append(num(x0)).append("\" y=\"")
          .append(BAND_Y).append("\" width=\"").append(num(Math.max(0.5, x1 - x0))).append("\" height=\"").append(BAND_H)
          .append("\"><title>").append(esc(r.verdict())).append(' ').append(Fmt.time(r.from())).append(" to ")
          .append(Fmt.time(r.to())).append("</title></rect>");
    }
    if (d.length() > 0) {
      b.append("<path class=\"line\" d=\"").append(d).append("\"/>");
    }
    b.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 8).append("\" text-anchor=\"end\">compliant</text>")
        .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(LINE_BOTTOM).append("\" text-anchor=\"end\">not</text>")
        .append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 4).append("\">").append(Fmt.time(from))
        .append("</text><text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 4)
        .append("\" text-anchor=\"end\">").append(Fmt.time(to)).append("</text>");
    return b.append("</svg>").toString();
  }

  /** The CSS class family of a verdict: ok, availability, integrity or other. */
  static String family(String verdict) {
    if ("compliant".equals(verdict)) {
      return "ok";
    }
    if (TargetFigures.isAvailabilityVerdict(verdict)) {
      return "availability";
    }
    try {
      return dev.vigil.attest.Verdict.fromLabel(verdict).isIntegrity() ? "integrity" : "other";
    } catch (IllegalArgumentException unknown) {
      return "other";
    }
  }

  private static double x(Instant t, Instant from, Instant to) {
    double span = Math.max(1, Duration.between(from, to).toMillis());
    double f = Math.max(0, Math.min(1, Duration.between(from, t).toMillis() / span));
    return LEFT + f * (WIDTH - LEFT - RIGHT);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
