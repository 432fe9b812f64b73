package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vigil attester: registered, and input errors exit 2 naming the option before anything listens. */
class AttesterCommandTest {
  @TempDir Path dir;

  @Test
  void isListedAndHasHelp() {
    assertThat(Cli.run("--help").out()).contains("attester");
    Cli.Result help = Cli.run("attester", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--constitution", "--key", "--service", "--environment", "--hash", "--health-url");
  }

  @Test
  void inputErrorsNameTheOption() throws Exception {
    Path key = dir.resolve("k.key.pem");
    Files.writeString(key, Keys.generate(Scheme.ED25519, new SecureRandom()).privatePem());
    Path constitution = Files.writeString(dir.resolve("c.md"), "text\n");
    Cli.Result missing = Cli.run("attester", "--constitution", dir.resolve("nope.md").toString(), "--key", key.toString(),
        "--service", "s", "--environment", "e");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--constitution").contains("nope.md");
    Cli.Result url = Cli.run("attester", "--constitution", constitution.toString(), "--key", key.toString(),
        "--service", "s", "--environment", "e", "--health-url", "ftp://x/health");
    assertThat(url.code()).isEqualTo(2);
    assertThat(url.err()).contains("--health-url");
    Cli.Result badKey = Cli.run("attester", "--constitution", constitution.toString(), "--key", constitution.toString(),
        "--service", "s", "--environment", "e");
    assertThat(badKey.code()).isEqualTo(2);
    assertThat(badKey.err()).contains("--key");
  }
}
