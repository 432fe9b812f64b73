package dev.vigil.testing;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * A Log4j appender on the root logger that keeps what is logged (level, logger, message, fields)
 * while it is open, so tests can assert decision lines. It follows a reconfiguration (a command
 * calling {@code Logging.configure} while captured): the new configuration's root gets it too.
 * Thread-safe.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable, PropertyChangeListener {
  /** One captured line. */
  public record Line(String level, String logger, String message, Map<String, String> fields) {
    public boolean is(String lvl) {
      return level.equals(lvl);
    }
  }

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {
    super("test-capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
  }

  /** Starts capturing every event that reaches the root logger. */
  public static LogCapture begin() {
    LogCapture c = new LogCapture();
    c.start0();
    return c;
  }

  private void start0() {
    start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.addPropertyChangeListener(this);
    attach(ctx, ctx.getConfiguration());
  }

  private void attach(LoggerContext ctx, Configuration config) {
    if (!config.getRootLogger().getAppenders().containsKey(getName())) {
      config.getRootLogger().addAppender(this, Level.ALL, null);
      ctx.updateLoggers(config);
    }
  }

  /** A new configuration replaced the context's: capture on its root too. */
  @Override
  public void propertyChange(PropertyChangeEvent e) {
    if (LoggerContext.PROPERTY_CONFIG.equals(e.getPropertyName()) && e.getNewValue() instanceof Configuration c
        && e.getSource() instanceof LoggerContext ctx && isStarted()) {
      attach(ctx, c);
    }
  }

  @Override
  public void append(LogEvent event) {
    lines.add(new Line(event.getLevel().name(), event.getLoggerName(), event.getMessage().getFormattedMessage(),
        Map.copyOf(event.getContextData().toMap())));
  }

  /** Everything captured so far. */
  public List<Line> lines() {
    return List.copyOf(lines);
  }

  /** The captured lines from a logger whose name starts with {@code loggerPrefix} that match {@code p}. */
  public List<Line> lines(String loggerPrefix, Predicate<Line> p) {
    return lines.stream().filter(l -> l.logger().startsWith(loggerPrefix)).filter(p).toList();
  }

  /** The captured lines whose field {@code key} is {@code value}. */
  public List<Line> withField(String key, String value) {
    return lines.stream().filter(l -> value.equals(l.fields().get(key))).toList();
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.removePropertyChangeListener(this);
    ctx.getConfiguration().getRootLogger().removeAppender(getName());
    ctx.updateLoggers();
    stop();
  }
}
