package dev.vigil.http;

import static dev.vigil.http.Html.esc;

/**
 * Badges in the shields.io flat style for READMEs and wikis: a label and a value in a colour of the
 * verdict family (or score band). Text is escaped and clipped; width follows the text with an
 * approximate 7 px per character. Pure; thread-safe.
 */
final class Badge {
  static final String CONTENT_TYPE = "image/svg+xml; charset=utf-8";
  /**
   * Badges are small and change with every poll: caches (README image proxies) must revalidate,
   * which the {@link #etag} makes cheap.
   */
  static final String CACHE_CONTROL = "no-cache, max-age=0, must-revalidate";
  private static final int MAX_CHARS = 40;

  private Badge() {}

  static String verdict(TargetStatus t) {
    String fam = PageAssets.family(t.verdict());
    String value = PageAssets.word(t.verdict()) + (t.openBreaches().isEmpty() ? "" : ", breach open");
    return svg(t.id().service() + "/" + t.id().environment(), value, colour(fam));
  }

  static String score(TargetStatus t) {
    Double s = t.score();
    String colour = s == null ? "#5f6368" : s >= 0.95 ? "#137333" : s >= 0.8 ? "#b06000" : "#a50e0e";
    return svg("compliance", Html.pct(s).replace(" %", "%"), colour);
  }

  /** A strong entity tag of a badge's SVG: a cache revalidating with {@code If-None-Match} gets a 304 while it is unchanged. */
  static String etag(String svg) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "\"" + java.util.HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String unknown(String label) {
    return svg(label, "unknown target", "#5f6368");
  }

  private static String colour(String family) {
    return switch (family) {
      case "ok" -> "#137333";
      case "integrity" -> "#a50e0e";
      case "availability" -> "#b06000";
      case "other" -> "#6a3fb0";
      default -> "#5f6368";
    };
  }

  static String svg(String label, String value, String colour) {
    String l = Html.clip(label, MAX_CHARS);
    String v = Html.clip(value, MAX_CHARS);
    int lw = 10 + 7 * l.codePointCount(0, l.length());
    int vw = 10 + 7 * v.codePointCount(0, v.length());
    int w = lw + vw;
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\""
        + esc(l) + ": " + esc(v) + "\"><title>" + esc(l) + ": " + esc(v) + "</title>"
        + "<rect width=\"" + lw + "\" height=\"20\" fill=\"#3c4043\"/><rect x=\"" + lw + "\" width=\"" + vw
        + "\" height=\"20\" fill=\"" + colour + "\"/><g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
        + "font-size=\"11\"><text x=\"5\" y=\"14\">" + esc(l) + "</text><text x=\"" + (lw + 5) + "\" y=\"14\">" + esc(v)
        + "</text></g></svg>";
  }
}
