package dev.vigil.rollback;

/** Routing weights of one service, percent, green plus blue = 100. Immutable. */
public record Weights(int green, int blue) {
  public static final Weights ALL_BLUE = new Weights(0, 100);
  public static final Weights ALL_GREEN = new Weights(100, 0);

  public Weights {
    if (green < 0 || blue < 0 || green + blue != 100) {
      throw new IllegalArgumentException("weights must be 0..100 and add up to 100, got green " + green + ", blue " + blue);
    }
  }
}
