package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
