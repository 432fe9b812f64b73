package dev.vigil.score;

/** A breach that was just opened or just resolved: what an {@code EventSink} receives. Immutable. */
public record BreachTransition(Kind kind, Breach breach) {
  /** Which event this transition becomes. */
  public enum Kind {
    OPENED("dev.vigil.breach.opened"),
    RESOLVED("dev.vigil.breach.resolved");

    private final String eventType;

    Kind(String eventType) {
      this.eventType = eventType;
    }

    /** The CloudEvent {@code type} of events-v1. */
    public String eventType() {
      return eventType;
    }
  }
}
