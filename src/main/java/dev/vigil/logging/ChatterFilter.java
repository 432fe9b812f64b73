package dev.vigil.logging;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.slf4j.LoggerFactory;

/**
 * A Log4j filter that folds repeated third-party lines of a known condition into a
 * {@link ConditionLog}: the first matching event becomes Vigil's WARN "condition started" line
 * (with the library's own message as the detail), the following ones are counted and dropped, and
 * when none has come for a quiet period the condition ends with one INFO line and the count.
 *
 * <p>The conditions: Kafka's WARN lines saying a broker cannot be reached (a broker outage makes
 * the producer, the consumer and the admin client warn about every second: 67 lines for the
 * monitor, 176 for the controller in a 30 s outage; {@link #kafkaUnreachable}), and lines carrying
 * an HTTP/2 or HTTP/1 {@code StreamResetException} (Vert.x logs a pair of ERROR lines each time a
 * peer resets a stream, e.g. a probe closing the connection on an HTTP 500). Kafka's other WARN
 * lines (a configuration warning, an unknown topic) pass unfolded, and its ERROR lines are never
 * folded.
 *
 * <p>Thread-safe. The quiet-period check runs on one daemon thread, scheduled only while a
 * condition is active.
 */
public final class ChatterFilter extends AbstractFilter {
  /** How long without a matching line before a condition ends. */
  static final long QUIET_MILLIS = 10_000;

  /** What kafka-clients says when a broker cannot be reached; see {@link #kafkaUnreachable}. */
  private static final Pattern KAFKA_UNREACHABLE = Pattern.compile(String.join("|",
      "could not be established", "may not be available", "Bootstrap broker .* disconnected",
      "Error connecting to node", "Disconnecting from node .* due to (request|socket connection setup) timeout",
      "Disconnected from node", "Disconnect from .* while trying to send", "[Cc]oordinator .* (is )?unavailable",
      "disconnected from the group coordinator", "No (broker|node)s? (is )?available", "timed out",
      "\\b(LEADER_NOT_AVAILABLE|NOT_LEADER_OR_FOLLOWER|BROKER_NOT_AVAILABLE|COORDINATOR_NOT_AVAILABLE"
          + "|NOT_COORDINATOR|COORDINATOR_LOAD_IN_PROGRESS|NETWORK_EXCEPTION|REQUEST_TIMED_OUT)\\b",
      "NetworkException|DisconnectException|TimeoutException|Connection refused"));

  private static final ChatterFilter SHARED = new ChatterFilter(QUIET_MILLIS);

  /** One condition: which events belong to it and its log. */
  record Rule(Predicate<LogEvent> matches, ConditionLog log) {}

  private final List<Rule> rules;
  private final long quietMillis;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-log-conditions");
    t.setDaemon(true);
    return t;
  });

  ChatterFilter(long quietMillis) {
    super(Result.NEUTRAL, Result.NEUTRAL);
    this.quietMillis = quietMillis;
    this.rules = List.of(
        new Rule(ChatterFilter::kafkaUnreachable, new ConditionLog(LoggerFactory.getLogger("dev.vigil.events.Kafka"),
            "kafka_unreachable", "Kafka brokers unreachable (down, restarting or cut off)")),
        new Rule(ChatterFilter::streamReset, new ConditionLog(LoggerFactory.getLogger("dev.vigil.http.StreamResets"),
            "http_stream_resets", "HTTP peers reset streams (a probe or client closing on an error answer)")));
  }

  /** The instance {@link Logging} installs. */
  public static ChatterFilter shared() {
    return SHARED;
  }

  /** The conditions, for tests and status. */
  List<ConditionLog> conditions() {
    return rules.stream().map(Rule::log).toList();
  }

  /**
   * An event passes each logger configuration up the hierarchy while they answer NEUTRAL; DENY
   * stops it at once, so an event is counted once.
   */
  @Override
  public Filter.Result filter(LogEvent event) {
    String logger = event.getLoggerName();
    if (logger != null && logger.startsWith("dev.vigil.")) {
      return Result.NEUTRAL;
    }
    for (Rule rule : rules) {
      if (rule.matches().test(event)) {
        long now = System.currentTimeMillis();
        if (rule.log().occurred(shortName(logger) + ": " + event.getMessage().getFormattedMessage(), now)) {
          scheduleQuietCheck(rule.log(), quietMillis);
        }
        return Result.DENY;
      }
    }
    return Result.NEUTRAL;
  }

  private void scheduleQuietCheck(ConditionLog c, long delayMillis) {
    timer.schedule(() -> {
      long now = System.currentTimeMillis();
      long quietFor = now - c.lastMillis();
      if (quietFor >= quietMillis) {
        c.ended("no such line for " + quietMillis / 1000 + " s", now);
      } else if (c.active()) {
        scheduleQuietCheck(c, quietMillis - quietFor);
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * A Kafka WARN line that says a broker cannot be reached: kafka-clients 4.1's own wording
   * ({@code NetworkClient}: "Connection to node N (host/ip:port) could not be established. Node may
   * not be available." and "Bootstrap broker host:port (id: -1 ...) disconnected", the most of an
   * outage; "Error connecting to node", disconnections for a request or connection-setup timeout;
   * the producer's {@code Sender} and the consumer's coordinator retrying on a disconnection, a
   * timeout or a leader or coordinator not available), or a line whose exception is a refused
   * connection, a Kafka network or disconnect exception or a Kafka timeout.
   */
  static boolean kafkaUnreachable(LogEvent e) {
    String n = e.getLoggerName();
    if (e.getLevel() != Level.WARN || n == null
        || !(n.startsWith("org.apache.kafka.") || n.startsWith("kafka.") || n.equals("state.change.logger"))) {
      return false;
    }
    String m = e.getMessage() == null ? null : e.getMessage().getFormattedMessage();
    if (m != null && KAFKA_UNREACHABLE.matcher(m).find()) {
      return true;
    }
    for (Throwable t = e.getThrown(); t != null; t = t.getCause()) {
      String c = t.getClass().getName();
      if (c.equals("java.net.ConnectException") || c.equals("java.net.NoRouteToHostException")
          || c.equals("org.apache.kafka.common.errors.NetworkException")
          || c.equals("org.apache.kafka.common.errors.DisconnectException")
          || c.equals("org.apache.kafka.common.errors.TimeoutException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static boolean streamReset(LogEvent e) {
    for (Throwable t = e.getThrown(); t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("StreamResetException")) {
        return true;
      }
    }
    String m = e.getMessage() == null ? null : e.getMessage().getFormattedMessage();
    return m != null && m.contains("StreamResetException");
  }

  private static String shortName(String logger) {
    if (logger == null) {
      return "?";
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
