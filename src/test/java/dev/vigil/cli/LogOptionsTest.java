package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogOptionsTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

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
    assertThat(format.err()).contains("--log-format").contains("accepted: text, json");
    Run level = run(command, "--log-level", "loud");
    assertThat(level.code()).isEqualTo(2);
    assertThat(level.err()).contains("--log-level").contains("accepted: trace, debug, info, warn, error");
  }
}
