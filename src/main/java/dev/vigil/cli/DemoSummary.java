package dev.vigil.cli;

import dev.vigil.score.Breach;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's closing lines: how many breaches are open and resolved, where each tampered service's
 * traffic is, and for each breach still open why it is and when it can close (a verdict rule at the
 * next compliant poll; a windowed rule, such as the compliance score, once the window has recovered:
 * at the latest one window after the first compliant poll). Pure: the time is a parameter.
 */
final class DemoSummary {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private DemoSummary() {}

  /** {@code traffic} is a one-line description of where the tampered service's traffic is. */
  static List<String> lines(List<Breach> open, int resolved, String traffic, Instant now) {
    List<String> out = new ArrayList<>();
    out.add("demo over: " + open.size() + " breach(es) open, " + resolved + " resolved; " + traffic);
    for (Breach b : open) {
      out.add("  still open: " + b.target().service() + "/" + b.target().environment() + " " + b.rule() + " since "
          + TIME.format(b.openedAt()) + ": " + why(b, now));
    }
    return out;
  }

  private static String why(Breach b, Instant now) {
    if (isVerdictRule(b.rule())) {
      return "its last answer was " + (b.verdict() == null ? "not compliant" : b.verdict().label())
          + "; it closes at its next compliant poll";
    }
    Duration window = Duration.ofSeconds(b.windowSeconds());
    return "observed " + b.observed() + " against " + b.expected() + " over a " + window.toSeconds()
        + " s window; it closes once the window recovers, by " + TIME.format(now.plus(window))
        + " at the latest if every poll from now on is compliant";
  }

  private static boolean isVerdictRule(String rule) {
    return rule.equals("hash_mismatch") || rule.equals("integrity");
  }
}
