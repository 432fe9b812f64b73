package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A user's mistake on the command line is one short error and exit 2: no usage dump, no stack trace. */
class CliUsageErrorsTest {
  @Test
  void anUnknownOptionIsOneLineAndWhereTheHelpIs() {
    Cli.Result r = Cli.run("keygen", "--scheme", "ed25519", "--out", "target/never", "--frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--frobnicate'").contains("See 'vigil keygen --help'.")
        .doesNotContain("Usage:").doesNotContain("\tat ");
    assertThat(r.err().lines()).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void aMissingSubcommandNamesTheCommands() {
    Cli.Result r = Cli.run("config");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand").contains("check")
        .doesNotContain("Usage:");
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    Cli.Result r = Cli.run("monitr");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Did you mean: monitor").contains("See 'vigil --help'.").doesNotContain("Usage:");
  }

  @Test
  void theCommandListShowsWholeFirstSentencesAndHelpWrapsAtTheWidth() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.out()).contains("rollback-controller").contains("monitor");
    // The controller's description is hard-wrapped in its annotation after "move a": the list shows the
    // whole first sentence, wrapped, up to its full stop.
    String list = r.out().substring(r.out().indexOf("rollback-controller"));
    assertThat(list.replaceAll("\\s+", " ")).contains("move a breached service's traffic from green back to blue");
    assertThat(Cli.run("rollback-controller", "--help").out().lines()).allMatch(l -> l.length() <= 80);
  }

  @Test
  void aTakenDemoPortIsOneLineBeforeAnythingStarts() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Cli.Result r = Cli.run("demo", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--port " + taken.getLocalPort() + ": cannot listen on 127.0.0.1")
          .doesNotContain("Client is closed").doesNotContain("\tat ").doesNotContain("internal error");
      assertThat(r.out()).doesNotContain("broker");
    }
  }

  @Test
  void anOutOfRangeDemoPortIsAnInvalidPortNotAnInternalError() {
    Cli.Result r = Cli.run("demo", "--port", "99999");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid port 99999").doesNotContain("internal error").doesNotContain("\tat ");
  }
  /**
   * Every port option of the demo, in either scenario: out of range (or unusable together) is one line naming
   * the option, exit 2, before the broker or the simulator starts; never "internal error" and a stack trace.
   */
  @Nested
  class DemoPorts {
    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
        "--scenario, tamper,    --base-port,  99999",
        "--scenario, tamper,    --admin-port, -5",
        "--scenario, migration, --base-port,  99999",
        "--scenario, migration, --admin-port, -5",
        "--scenario, migration, --port,       70000",
    })
    void anOutOfRangePortIsAnInvalidPortNamingTheOption(String scenarioOption, String scenario, String option, String value) {
      Cli.Result r = Cli.run("demo", scenarioOption, scenario, option, value);
      assertThat(r.code()).as("exit code of %s", r).isEqualTo(2);
      assertThat(r.err()).as("stderr of demo %s %s", option, value)
          .contains(option + ": invalid port " + value)
          .doesNotContain("internal error").doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(r.err().lines()).as("stderr of demo %s %s", option, value).hasSize(1);
      assertThat(r.out()).as("stdout of demo %s %s", option, value).isEmpty();
    }

    @Test
    void portsInRangeThatDoNotFitTogetherAreAUsageErrorToo() {
      // Green instances on 65530.. and blue ones at +100: the last would be past 65535.
      Cli.Result last = Cli.run("demo", "--base-port", "65530");
      assertThat(last.code()).as("exit code of %s", last).isEqualTo(2);
      assertThat(last.err()).contains("--base-port 65530").contains("leaves no room")
          .doesNotContain("internal error").doesNotContain("\tat ");
      // The admin API on the port of a simulated instance (green instances on 8000..8006).
      Cli.Result clash = Cli.run("demo", "--base-port", "8000", "--admin-port", "8003");
      assertThat(clash.code()).as("exit code of %s", clash).isEqualTo(2);
      assertThat(clash.err()).contains("--admin-port 8003").contains("port of a simulated instance")
          .doesNotContain("internal error").doesNotContain("\tat ");
    }
  }
}
