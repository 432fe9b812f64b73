package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil config check --schema-only FILE}: structure without the environment and the key files. */
class ConfigSchemaCommandTest {
  /** Set nowhere: the full check must fail on it, the schema-only check must not look it up. */
  private static final String UNSET = "VIGIL_SCHEMA_TEST_UNSET_4F2A";
  private static final String UNRESOLVABLE = """
      server:
        port: ${%1$s}
        adminToken: ${%1$s}
      targets:
        - service: auth-service
          environment: green
          url: http://127.0.0.1:8000
          keys:
            - file: ${%1$s}/missing.pub.pem
            - file: no-such-key.pem
      """.formatted(UNSET);

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void anUnresolvableButWellFormedFileIsOk() throws IOException {
    assertThat(System.getenv(UNSET)).isNull();
    Path file = Files.writeString(dir.resolve("vigil.yaml"), UNRESOLVABLE);

    Run schemaOnly = run("config", "check", "--schema-only", file.toString());
    assertThat(schemaOnly.code()).as(schemaOnly.toString()).isZero();
    assertThat(schemaOnly.out()).isEqualTo(file + ": OK (structure only: environment variables and key files not"
        + " checked)" + System.lineSeparator());
    assertThat(schemaOnly.err()).isEmpty();

    Run full = run("config", "check", file.toString());
    assertThat(full.code()).as("a key file it names cannot be read").isEqualTo(2);
    assertThat(full.err()).contains(file + ": server.port: environment variable " + UNSET + " is not set")
        .contains("targets[0].keys[1].file: cannot read");
  }

  @Test
  void aStructuralErrorIsPrintedWithItsPathAndExitsOne() throws IOException {
    Path file = Files.writeString(dir.resolve("vigil.yaml"), UNRESOLVABLE.replace("  port:", "  prot:")
        .replace("environment: green", "environment: green\n    interval: 30"));
    Run r = run("config", "check", "--schema-only", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).containsExactlyInAnyOrder(
        file + ": server.prot: unknown key; expected one of: host, port, adminToken, maxConnections, idleTimeout,"
            + " requestTimeout, tls, auth, metricsPort",
        file + ": targets[0].interval: not valid (integer found, string expected); expected a duration as Prometheus"
            + " writes it:"
            + " 500ms, 30s, 2m, 1h, 7d, 2w, 1y (365 days), or a compound in descending unit order such as 1m30s; or"
            + " ISO-8601 such as PT30S. A number without a unit is an error.");
  }

  @Test
  void anUnreadableFileExitsTwo() {
    Run r = run("config", "check", "--schema-only", dir.resolve("absent.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read " + dir.resolve("absent.yaml") + ": no such file");
  }
}
