package dev.vigil.report;

import java.time.Instant;
import java.util.Locale;

/** Number, time and text formatting shared by the Markdown and HTML renderers. Stateless; thread-safe. */
final class Fmt {
  private Fmt() {}

  static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f %%", v);
  }

  static String num(Double v) {
    if (v == null) {
      return "n/a";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.4g", v);
  }

  static String time(Instant t) {
    return t == null ? "n/a" : t.toString();
  }

  static String figure(Report.Objective o) {
    return o.figure() == null ? "no evidence" : "%".equals(o.unit()) ? pct(o.figure()) : num(o.figure()) + " " + o.unit();
  }

  static String stats(Report.Stats s) {
    return s.n() == 0 ? "no signed reports" : num(s.min()) + " / " + num(s.median()) + " / " + num(s.max()) + " (n=" + s.n() + ")";
  }

  static String signature(Report.CheckpointInfo cp) {
    return switch (cp.signature()) {
      case VERIFIED -> "verified with the monitor key " + cp.keyId();
      case NOT_CHECKED -> "not checked (no --key given)";
      case UNSIGNED -> "none: no checkpoint was given, the root was computed from the log by this report";
    };
  }

  static String status(Report.Status s) {
    return switch (s) {
      case MET -> "met";
      case NOT_MET -> "NOT MET";
      case UNDETERMINED -> "undetermined (not all the period is covered)";
      case NO_EVIDENCE -> "no evidence";
    };
  }
}
