package dev.vigil.logging;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Configures the Log4j 2 backend for a command: format, level and how loud third-party libraries
 * are. {@code log4j2.xml} on the class path holds the layouts and the loggers; this class sets the
 * system properties it reads ({@code vigil.log.format}, {@code vigil.log.level},
 * {@code vigil.log.kafka}, {@code vigil.log.netty}), reconfigures, and installs the
 * {@link ChatterFilter} on every logger configuration.
 *
 * <p>An operator's own {@code -Dlog4j2.configurationFile} replaces {@code log4j2.xml} entirely.
 *
 * <p>Thread safety: call from the command's main thread before it starts anything; later calls
 * (tests) reconfigure the whole process.
 */
public final class Logging {
  /** Who runs: the demo wants Kafka's own broker and clients quieter than a daemon does. */
  public enum Profile {
    /** A daemon (monitor, controller, attester, simulator): Kafka at WARN. */
    DAEMON,
    /** The one-process demo, with its embedded broker: Kafka at ERROR, so the terminal shows the timeline. */
    DEMO
  }

  /** The settings one command runs with. */
  public record Settings(LogFormat format, LogLevel level, Profile profile) {
    /** Text at INFO for a daemon: what log4j2.xml does without any setting. */
    public static Settings defaults() {
      return new Settings(LogFormat.TEXT, LogLevel.INFO, Profile.DAEMON);
    }

    /** Kafka's clients and broker: WARN for a daemon, ERROR for the demo, never below {@link #level}. */
    LogLevel kafkaLevel() {
      return (profile == Profile.DEMO ? LogLevel.ERROR : LogLevel.WARN).atLeast(level);
    }

    /** Netty and Vert.x internals: WARN, never below {@link #level}. */
    LogLevel nettyLevel() {
      return LogLevel.WARN.atLeast(level);
    }
  }

  private static volatile Settings current = Settings.defaults();

  private Logging() {}

  /** Applies {@code settings} to the whole process. */
  public static void configure(Settings settings) {
    configure(settings, ChatterFilter.shared());
  }

  /** As {@link #configure(Settings)} with another filter (tests: a shorter quiet period). */
  static synchronized void configure(Settings settings, ChatterFilter filter) {
    System.setProperty("vigil.log.format", settings.format().label());
    System.setProperty("vigil.log.level", settings.level().label());
    System.setProperty("vigil.log.kafka", settings.kafkaLevel().label());
    System.setProperty("vigil.log.netty", settings.nettyLevel().label());
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    URI location = ownConfiguration();
    if (location != null && System.getProperty("log4j2.configurationFile") == null) {
      ctx.setConfigLocation(location); // reconfigures
    } else {
      ctx.reconfigure();
    }
    installChatterFilter(ctx, filter);
    current = settings;
  }

  /** The settings last applied ({@link Settings#defaults()} before any). */
  public static Settings current() {
    return current;
  }

  /** Installs the filter on the context's current configuration (log4j2.xml installs none itself). */
  static void installChatterFilter(LoggerContext ctx, ChatterFilter filter) {
    Configuration config = ctx.getConfiguration();
    for (LoggerConfig lc : config.getLoggers().values()) {
      if (!lc.hasFilter() || lc.getFilter() != filter) {
        lc.addFilter(filter);
      }
    }
    LoggerConfig root = config.getRootLogger();
    if (!root.hasFilter()) {
      root.addFilter(filter);
    }
    ctx.updateLoggers();
  }

  private static URI ownConfiguration() {
    URL url = Logging.class.getResource("/log4j2.xml");
    try {
      return url == null ? null : url.toURI();
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
