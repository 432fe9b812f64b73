package dev.vigil.cli;

import dev.vigil.logging.LogFormat;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --log-format} and {@code --log-level}, mixed into every daemon command (monitor,
 * rollback-controller, attester, simulate, demo). Their defaults come from {@code VIGIL_LOG_FORMAT}
 * and {@code VIGIL_LOG_LEVEL}; a bad value from either is a usage error naming it.
 */
final class LogOptions {
  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:VIGIL_LOG_FORMAT:-text}",
      converter = FormatConverter.class,
      description = "Log lines on stderr: text, or json (one Elastic Common Schema object per line, with service,"
          + " environment, verdict, breachId, rolloutId, eventId, traceId as fields). Default: $VIGIL_LOG_FORMAT, else text.")
  LogFormat format = LogFormat.TEXT;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:VIGIL_LOG_LEVEL:-info}",
      converter = LevelConverter.class,
      description = "trace, debug, info, warn or error. Third-party libraries stay at warn (Kafka at error in the demo)"
          + " unless this is higher. Default: $VIGIL_LOG_LEVEL, else info.")
  LogLevel level = LogLevel.INFO;

  /** Configures the logging backend; call first in the command. */
  void apply(Logging.Profile profile) {
    Logging.configure(new Logging.Settings(format, level, profile));
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      try {
        return LogFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage() + " (from --log-format or VIGIL_LOG_FORMAT)");
      }
    }
  }

  static final class LevelConverter implements CommandLine.ITypeConverter<LogLevel> {
    @Override
    public LogLevel convert(String value) {
      try {
        return LogLevel.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage() + " (from --log-level or VIGIL_LOG_LEVEL)");
      }
    }
  }
}
