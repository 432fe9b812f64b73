package dev.vigil.cli;

import dev.vigil.logging.LogFormat;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.Logging;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --log-format} and {@code --log-level}, mixed into every daemon command (monitor,
 * rollback-controller, attester, simulate, demo). An option not given takes its value from
 * {@code VIGIL_LOG_FORMAT} / {@code VIGIL_LOG_LEVEL} ({@link EnvironmentDefaults}, which
 * {@link Main} installs), else text at info; an option given on the command line wins over its
 * variable. A bad value is a usage error naming the option, or the variable it came from.
 */
final class LogOptions {
  static final String FORMAT_OPTION = "--log-format";
  static final String LEVEL_OPTION = "--log-level";
  static final String FORMAT_VARIABLE = "VIGIL_LOG_FORMAT";
  static final String LEVEL_VARIABLE = "VIGIL_LOG_LEVEL";

  @Option(names = FORMAT_OPTION, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
      description = "Log lines on stderr: text, or json (one Elastic Common Schema object per line, with service,"
          + " environment, verdict, breachId, rolloutId, eventId, traceId as fields). Default: $VIGIL_LOG_FORMAT, else text.")
  LogFormat format = LogFormat.TEXT;

  @Option(names = LEVEL_OPTION, paramLabel = "LEVEL", defaultValue = "info", converter = LevelConverter.class,
      description = "trace, debug, info, warn or error. Third-party libraries stay at warn (Kafka at error in the demo)"
          + " unless this is higher. Default: $VIGIL_LOG_LEVEL, else info.")
  LogLevel level = LogLevel.INFO;

  /** Configures the logging backend; call first in the command. */
  void apply(Logging.Profile profile) {
    Logging.configure(new Logging.Settings(format, level, profile));
  }

  /**
   * The defaults of {@code --log-format} and {@code --log-level} from the environment: picocli asks
   * only for an option the command line did not give. An unset or blank variable leaves the
   * option's own default; a bad value is a usage error naming the variable, except with
   * {@code --help} or {@code --version}, which need no value. Answers null for every other option.
   * Immutable.
   */
  static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
      this.env = Map.copyOf(env);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec option)) {
        return null;
      }
      return switch (option.longestName()) {
        case FORMAT_OPTION -> fromEnv(arg, FORMAT_VARIABLE, FORMAT_OPTION, LogFormat::parse);
        case LEVEL_OPTION -> fromEnv(arg, LEVEL_VARIABLE, LEVEL_OPTION, LogLevel::parse);
        default -> null;
      };
    }

    private String fromEnv(ArgSpec arg, String variable, String option, Function<String, ?> parse) {
      String value = env.get(variable);
      CommandLine command = arg.command().commandLine();
      if (value == null || value.isBlank() || command.isUsageHelpRequested() || command.isVersionHelpRequested()) {
        return null;
      }
      try {
        parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(command, "environment variable " + variable
            + ": " + e.getMessage() + " (" + option + " on the command line takes precedence over it)");
      }
      return value;
    }
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      try {
        return LogFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class LevelConverter implements CommandLine.ITypeConverter<LogLevel> {
    @Override
    public LogLevel convert(String value) {
      try {
        return LogLevel.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
