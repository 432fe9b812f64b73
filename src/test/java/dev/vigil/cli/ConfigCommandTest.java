package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
  private static final String TARGET = """
        - service: %s
          environment: %s
          url: http://127.0.0.1:8000
          keys: [{file: k.pem}]
      """;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void key() throws IOException {
    Files.writeString(dir.resolve("k.pem"), Keys.generate(Scheme.ED25519, new SecureRandom()).publicKey().toPem());
  }

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = new CommandLine(new ConfigCommand(env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), yaml);
  }

  @Test
  void aValidFileIsOkWithItsCounts() throws IOException {
    Path file = write("targets:\n" + TARGET.formatted("auth-service", "green") + TARGET.formatted("auth-service", "blue")
        + TARGET.formatted("integrity-service", "green"));
    assertThat(run(Map.of(), "check", file.toString())).isZero();
    assertThat(out).hasToString(file + ": OK — 3 targets, 2 environments" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void oneTargetIsSingular() throws IOException {
    Path file = write("targets:\n" + TARGET.formatted("auth-service", "green"));
    assertThat(run(Map.of(), "check", file.toString())).isZero();
    assertThat(out.toString()).contains("OK — 1 target, 1 environment");
  }

  @Test
  void everyErrorIsPrintedOnItsOwnLineAndTheExitIsOne() throws IOException {
    Path file = write("server: {port: '${PORT}'}\ntargets:\n" + TARGET.formatted("auth-service", "green")
        + "    interval: soon\n" + TARGET.formatted("Bad", "green"));
    assertThat(run(Map.of(), "check", file.toString())).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines()).containsExactly(
        file + ": server.port: environment variable PORT is not set (write ${PORT:-default} to give a default)",
        file + ": targets[0].interval: 'soon' is not a duration; use e.g. 500ms, 30s, 2m, 1h or PT30S",
        file + ": targets[1].service: not a valid name; use lowercase letters, digits and '-', starting with a"
            + " letter or digit");
  }

  @Test
  void theEnvironmentIsUsed() throws IOException {
    Path file = write("server: {port: '${PORT}'}\ntargets:\n" + TARGET.formatted("auth-service", "green"));
    assertThat(run(Map.of("PORT", "9000"), "check", file.toString())).isZero();
  }

  @Test
  void anUnreadableFileExitsTwo() {
    Path missing = dir.resolve("missing.yaml");
    assertThat(run(Map.of(), "check", missing.toString())).isEqualTo(2);
    assertThat(err).hasToString("cannot read " + missing + ": no such file" + System.lineSeparator());
    assertThat(run(Map.of(), "check", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read " + dir + ": it is a directory");
  }

  @Test
  void aDeviceOrAnOversizedConfigurationExitsTwoUnread() throws IOException {
    assertThat(run(Map.of(), "check", "/dev/zero")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read /dev/zero: not a regular file");
    Path big = dir.resolve("big.yaml");
    try (var w = Files.newBufferedWriter(big)) {
      w.write("monitorId: '");
      for (int i = 0; i < 50 * 1024; i++) {
        w.write("x".repeat(1024));
      }
      w.write("'\n");
    }
    assertThat(run(Map.of(), "check", big.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read " + big + ": larger than 3 MiB (");
  }

  @Test
  void aCaFileThatIsADeviceExitsTwoNamingItsPath() throws IOException {
    Path file = write("targets:\n" + TARGET.formatted("auth-service", "green").replace("http:", "https:")
        + "    tls: {caFile: /dev/zero}\n");
    assertThat(run(Map.of(), "check", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(file + ": targets[0].tls.caFile: cannot read /dev/zero: not a regular file");
  }

  @Test
  void withoutASubcommandItIsAUsageError() {
    assertThat(run(Map.of())).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required subcommand").contains("check");
  }

  @Test
  void aMissingFileArgumentIsAUsageError() {
    assertThat(run(Map.of(), "check")).isEqualTo(2);
    assertThat(err.toString()).contains("FILE");
  }
  @Test
  void aControllerSectionIsCheckedForWhatTheControllerNeeds() throws IOException {
    Path file = write("controller: {consumerGroup: g}\ntargets:\n" + TARGET.formatted("auth-service", "green"));
    assertThat(run(Map.of(), "check", file.toString())).isEqualTo(1);
    assertThat(err.toString().lines()).extracting(l -> l.substring(0, l.indexOf(": required by the rollback controller")))
        .containsExactly(file + ": kafka.bootstrapServers", file + ": events.signingKey",
            file + ": controller.trustedMonitorKeys");
  }

  @Test
  void theControllerRefusesToStartNamingThePathWithOrWithoutItsSection() throws IOException {
    Path file = write("targets:\n" + TARGET.formatted("auth-service", "green"));
    for (String yaml : new String[] {"", "controller: {consumerGroup: g}\n"}) {
      write(yaml + Files.readString(file));
      Cli.Result r = Cli.run("rollback-controller", "--config", file.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).as(r.toString()).contains(file + ": controller.trustedMonitorKeys: required by the rollback "
          + "controller").contains(file + ": kafka.bootstrapServers: required").contains("error(s); nothing started");
    }
  }
}
