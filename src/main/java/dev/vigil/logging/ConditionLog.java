package dev.vigil.logging;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Turns a condition that repeats (a broker that stays down, peers that keep resetting streams)
 * into two log lines: one WARN when it starts, one INFO when it ends, with how many times it
 * occurred in between and for how long. Occurrences in between are counted, logged at DEBUG only.
 *
 * <p>Each line carries {@code condition} and {@code count} fields ({@link LogFields}); the detail
 * is the first occurrence's, with control characters replaced and its length bounded.
 *
 * <p>Thread-safe: occurrences may be reported from any thread.
 */
public final class ConditionLog {
  private static final int MAX_DETAIL = 500;

  private final Logger log;
  private final String name;
  private final String description;
  private boolean active;
  private long count;
  private long total;
  private long startedMillis;
  private long lastMillis;

  /**
   * @param log where the two lines go
   * @param name a short label, the {@code condition} field (e.g. {@code kafka_unreachable})
   * @param description what the condition is, in words (e.g. "Kafka is unreachable")
   */
  public ConditionLog(Logger log, String name, String description) {
    this.log = log;
    this.name = name;
    this.description = description;
  }

  /** Records one occurrence at {@code nowMillis}; returns true when it started the condition (WARN logged). */
  public boolean occurred(String detail, long nowMillis) {
    boolean started;
    long n;
    synchronized (this) {
      started = !active;
      if (started) {
        active = true;
        count = 0;
        startedMillis = nowMillis;
      }
      count++;
      total++;
      lastMillis = nowMillis;
      n = count;
    }
    if (started) {
      log.atWarn().addKeyValue(LogFields.CONDITION, name).addKeyValue(LogFields.COUNT, 1)
          .log("{} (condition {} started; further occurrences are counted until it ends): {}", description, name,
              clean(detail));
    } else {
      log.atDebug().addKeyValue(LogFields.CONDITION, name).addKeyValue(LogFields.COUNT, n)
          .log("{} (condition {}, occurrence {}): {}", description, name, n, clean(detail));
    }
    return started;
  }

  /** Ends the condition if it is active (INFO logged, returns true); else does nothing. */
  public boolean ended(String why, long nowMillis) {
    long n;
    long since;
    synchronized (this) {
      if (!active) {
        return false;
      }
      active = false;
      n = count;
      since = startedMillis;
    }
    log.atInfo().addKeyValue(LogFields.CONDITION, name).addKeyValue(LogFields.COUNT, n)
        .log("{}: condition {} ended ({}) after {} occurrence(s) over {}", description, name, clean(why), n,
            human(Duration.ofMillis(Math.max(0, nowMillis - since))));
    return true;
  }

  /** True between the WARN and the INFO. */
  public synchronized boolean active() {
    return active;
  }

  /** Occurrences since the condition started (the last one's if it has ended). */
  public synchronized long count() {
    return count;
  }

  /** Occurrences ever recorded. */
  public synchronized long total() {
    return total;
  }

  /** When the last occurrence was recorded (0 before any). */
  public synchronized long lastMillis() {
    return lastMillis;
  }

  /** The condition's label. */
  public String name() {
    return name;
  }

  static String clean(String detail) {
    return LogText.bounded(detail, MAX_DETAIL, ' ');
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
