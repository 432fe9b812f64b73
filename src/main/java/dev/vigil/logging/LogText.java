package dev.vigil.logging;

/** Bounds a string that goes into a log line: control characters replaced, at most {@code max} characters kept. */
public final class LogText {
  private LogText() {}

  /** {@code text} with each ISO control character as {@code replacement}, cut to {@code max} characters and "…"; "" for null. */
  public static String bounded(String text, int max, char replacement) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max + 1));
    for (int i = 0; i < text.length() && b.length() < max; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? replacement : c);
    }
    return text.length() > max ? b.append('…').toString() : b.toString();
  }
}
