package dev.vigil.logging;

/**
 * The names of the structured fields Vigil's decision lines carry (top-level keys of a JSON line).
 * One place, so that a query in the log store names the same field whichever component logged it.
 * Never a secret: no token, key or signature is ever a field.
 */
public final class LogFields {
  /** The target's (or event's) service name. */
  public static final String SERVICE = "service";
  /** The target's environment (green, blue). */
  public static final String ENVIRONMENT = "environment";
  /** A verdict label (compliant, hash_mismatch, ...). */
  public static final String VERDICT = "verdict";
  /** A breach id (b-...). */
  public static final String BREACH_ID = "breachId";
  /** A rollout id. */
  public static final String ROLLOUT_ID = "rolloutId";
  /** An event's CloudEvents id. */
  public static final String EVENT_ID = "eventId";
  /** The W3C trace id of the current span, when tracing is on. */
  public static final String TRACE_ID = "traceId";
  /** What was decided (opened, resolved, rejected, succeeded, ...). */
  public static final String DECISION = "decision";
  /** The reason of a rejection or a skip, as a short label. */
  public static final String REASON = "reason";
  /** A condition's name (see {@link ConditionLog}). */
  public static final String CONDITION = "condition";
  /** How many times a condition occurred. */
  public static final String COUNT = "count";

  private LogFields() {}
}
