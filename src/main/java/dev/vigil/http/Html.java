package dev.vigil.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Escaping and formatting shared by the status page, the target page and the badges: every string
 * that reaches HTML or SVG goes through {@link #esc}, every time through {@link #time}. Stateless
 * and thread-safe.
 */
final class Html {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Html() {}

  /** Text or attribute content with the five HTML/XML specials replaced; "" for null. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
      }
    }
    return b.toString();
  }

  /** {@code s} cut to {@code n} characters with an ellipsis, never splitting a surrogate pair. */
  static String clip(String s, int n) {
    if (s == null || s.length() <= n) {
      return s == null ? "" : s;
    }
    int end = Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
    return s.substring(0, end) + "…";
  }

  /** {@code 2026-12-01 02:49:29Z}, or an em dash for null. */
  static String time(Instant t) {
    return t == null ? "—" : TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "in the future" when clocks disagree. */
  static String ago(Instant t, Instant now) {
    long s = Duration.between(t, now).getSeconds();
    if (s < 0) {
      return "in the future";
    }
    if (s < 120) {
      return s + " s ago";
    }
    if (s < 7200) {
      return s / 60 + " min ago";
    }
    return s < 172800 ? s / 3600 + " h ago" : s / 86400 + " d ago";
  }

  /**
   * A {@code <time>} element: the absolute time, then how long ago (the page's script keeps the
   * latter current from the {@code datetime} attribute).
   */
  static String timeAgo(Instant t, Instant now) {
    if (t == null) {
      return "—";
    }
    return "<time datetime=\"" + t.truncatedTo(ChronoUnit.SECONDS) + "\">" + time(t) + "</time> <small class=\"ago\">"
        + ago(t, now) + "</small>";
  }

  static String pct(Double v) {
    return v == null || !Double.isFinite(v) ? "—" : String.format(Locale.ROOT, "%.1f %%", v * 100);
  }

  /** A path segment of a link, percent-encoded (UTF-8), then HTML-escaped. */
  static String seg(String s) {
    return esc(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
  }
}
