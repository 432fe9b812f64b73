package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.logging.LogFormat;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.Logging;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogOptionsTest {
  private record Run(int code, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), env);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    return run(Map.of(), args);
  }

  @AfterEach
  void restore() {
    Logging.configure(Logging.Settings.defaults());
  }

  @Nested
  class Options {
    @ParameterizedTest
    @ValueSource(strings = {"monitor", "rollback-controller", "attester", "simulate", "demo"})
    void everyDaemonCommandTakesLogFormatAndLogLevel(String command) {
      Run help = run(command, "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).contains("--log-format=FORMAT").contains("--log-level=LEVEL").contains("VIGIL_LOG_FORMAT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor", "rollback-controller", "attester", "simulate", "demo"})
    void aBadFormatOrLevelIsAUsageErrorNamingTheOption(String command) {
      Run format = run(command, "--log-format", "xml");
      assertThat(format.code()).isEqualTo(2);
      assertThat(format.err()).contains("--log-format").contains("accepted: text, json").doesNotContain("VIGIL_LOG");
      Run level = run(command, "--log-level", "loud");
      assertThat(level.code()).isEqualTo(2);
      assertThat(level.err()).contains("--log-level").contains("accepted: trace, debug, info, warn, error")
          .doesNotContain("VIGIL_LOG");
    }
  }

  /**
   * The variables through {@link Main}, as the process runs: {@code monitor} configures logging first, then
   * fails on its missing configuration file (exit 2), leaving {@link Logging#current()} as it applied it.
   */
  @Nested
  class Environment {
    @TempDir Path tmp;

    private Run monitor(Map<String, String> env, String... options) {
      String[] args = new String[options.length + 3];
      args[0] = "monitor";
      System.arraycopy(options, 0, args, 1, options.length);
      args[options.length + 1] = "--config";
      args[options.length + 2] = tmp.resolve("missing.yaml").toString();
      Run r = run(env, args);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).as("it got as far as reading its configuration").contains("missing.yaml");
      return r;
    }

    @Test
    void withoutVariablesItIsTextAtInfo() {
      Logging.configure(new Logging.Settings(LogFormat.JSON, LogLevel.ERROR, Logging.Profile.DAEMON));
      monitor(Map.of());
      assertThat(Logging.current()).isEqualTo(Logging.Settings.defaults());
    }

    @Test
    void theVariablesSetFormatAndLevel() {
      monitor(Map.of("VIGIL_LOG_FORMAT", "JSON", "VIGIL_LOG_LEVEL", "debug"));
      assertThat(Logging.current()).isEqualTo(new Logging.Settings(LogFormat.JSON, LogLevel.DEBUG,
          Logging.Profile.DAEMON));
    }

    @Test
    void blankVariablesCountAsUnset() {
      monitor(Map.of("VIGIL_LOG_FORMAT", "", "VIGIL_LOG_LEVEL", " "));
      assertThat(Logging.current()).isEqualTo(Logging.Settings.defaults());
    }

    @Test
    void theCommandLineWinsOverTheVariables() {
      monitor(Map.of("VIGIL_LOG_FORMAT", "json", "VIGIL_LOG_LEVEL", "debug"), "--log-format", "text", "--log-level",
          "warn");
      assertThat(Logging.current()).isEqualTo(new Logging.Settings(LogFormat.TEXT, LogLevel.WARN,
          Logging.Profile.DAEMON));
    }

    @Test
    void aBadVariableIsNotReadWhenItsOptionIsGiven() {
      Run r = monitor(Map.of("VIGIL_LOG_FORMAT", "xml", "VIGIL_LOG_LEVEL", "loud"), "--log-format", "json",
          "--log-level", "error");
      assertThat(r.err()).doesNotContain("VIGIL_LOG");
      assertThat(Logging.current()).isEqualTo(new Logging.Settings(LogFormat.JSON, LogLevel.ERROR,
          Logging.Profile.DAEMON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"monitor", "rollback-controller", "attester", "simulate", "demo"})
    void aBadVariableIsAUsageErrorNamingTheVariable(String command) {
      Run format = run(Map.of("VIGIL_LOG_FORMAT", "xml"), command);
      assertThat(format.code()).isEqualTo(2);
      assertThat(format.err()).startsWith("vigil " + command + ": environment variable VIGIL_LOG_FORMAT: unknown log"
          + " format 'xml'; accepted: text, json").contains("--log-format on the command line takes precedence");
      Run level = run(Map.of("VIGIL_LOG_LEVEL", "loud"), command);
      assertThat(level.code()).isEqualTo(2);
      assertThat(level.err()).startsWith("vigil " + command + ": environment variable VIGIL_LOG_LEVEL: unknown log"
          + " level 'loud'; accepted: trace, debug, info, warn, error");
    }

    @Test
    void helpIsShownWhateverTheVariablesSay() {
      Run help = run(Map.of("VIGIL_LOG_FORMAT", "xml", "VIGIL_LOG_LEVEL", "loud"), "monitor", "--help");
      assertThat(help.code()).as(help.err()).isZero();
      assertThat(help.out()).contains("--log-format=FORMAT");
      assertThat(run(Map.of("VIGIL_LOG_FORMAT", "xml"), "monitor", "--version").code()).isZero();
    }

    @Test
    void aBadVariableLeavesLoggingAsItWas() {
      run(Map.of("VIGIL_LOG_FORMAT", "json"), "monitor", "--log-level", "loud", "--config", "x.yaml");
      run(Map.of("VIGIL_LOG_LEVEL", "loud"), "monitor", "--config", "x.yaml");
      assertThat(Logging.current()).isEqualTo(Logging.Settings.defaults());
    }

    @Test
    void commandsWithoutTheOptionsIgnoreTheVariables() {
      Run r = run(Map.of("VIGIL_LOG_FORMAT", "xml"), "config", "check", "--schema-only",
          tmp.resolve("missing.yaml").toString());
      assertThat(r.err()).doesNotContain("VIGIL_LOG_FORMAT");
    }
  }
}
