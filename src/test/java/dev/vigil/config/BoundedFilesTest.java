package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file Vigil is given is a regular file under a cap, checked before a byte is read: a device
 * cannot exhaust the heap, a FIFO cannot hang a load (a read from the FIFO here would block the test
 * forever: nothing writes to it).
 */
class BoundedFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  private Path fifo() throws IOException, InterruptedException {
    Path fifo = dir.resolve("pipe");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo works here").isTrue();
    return fifo;
  }

  @Nested
  class TheHelper {
    @Test
    void aRegularFileUnderTheCapIsRead() throws IOException {
      Path f = Files.write(dir.resolve("f"), new byte[100]);
      assertThat(BoundedFiles.read(f, 100)).hasSize(100);
    }

    @Test
    void eachRefusalNamesThePathAndWhy() throws Exception {
      Path big = Files.write(dir.resolve("big"), new byte[101]);
      assertThatThrownBy(() -> BoundedFiles.read(big, 100))
          .hasMessage("cannot read " + big + ": larger than 100 bytes (101 bytes)");
      assertThatThrownBy(() -> BoundedFiles.read(Path.of("/dev/zero"), BoundedFiles.KEY_MAX_BYTES))
          .hasMessage("cannot read /dev/zero: not a regular file (a device, FIFO or socket)");
      Path fifo = fifo();
      assertThatThrownBy(() -> BoundedFiles.read(fifo, BoundedFiles.KEY_MAX_BYTES))
          .hasMessage("cannot read " + fifo + ": not a regular file (a device, FIFO or socket)");
      assertThatThrownBy(() -> BoundedFiles.read(dir, 100)).hasMessage("cannot read " + dir + ": it is a directory");
      assertThatThrownBy(() -> BoundedFiles.read(dir.resolve("nope"), 100))
          .hasMessage("cannot read " + dir.resolve("nope") + ": no such file");
      Path latin1 = Files.write(dir.resolve("latin1"), new byte[] {'a', (byte) 0xE9});
      assertThatThrownBy(() -> BoundedFiles.readUtf8(latin1, 100)).hasMessage("cannot read " + latin1 + ": not UTF-8 text");
    }

    @Test
    void aSymlinkToARegularFileIsFollowed() throws IOException {
      Path target = Files.write(dir.resolve("t"), new byte[] {1, 2});
      Path link = Files.createSymbolicLink(dir.resolve("link"), target);
      assertThat(BoundedFiles.read(link, 10)).containsExactly(1, 2);
      Path toDevice = Files.createSymbolicLink(dir.resolve("dev"), Path.of("/dev/zero"));
      assertThatThrownBy(() -> BoundedFiles.read(toDevice, 10)).hasMessageContaining("not a regular file");
    }
  }

  @Nested
  class InTheConfiguration {
    @Test
    void aKeyFileThatIsADeviceOrAFifoIsAnUnreadableFileAtItsPath() throws Exception {
      for (String special : List.of("/dev/zero", fifo().toString())) {
        ConfigResult r = ConfigFixtures.parse(MINIMAL.replace("ed1.pub.pem", special), dir);
        assertThat(r.errors()).singleElement().satisfies(e -> {
          assertThat(e.path()).isEqualTo("targets[0].keys[0].file");
          assertThat(e.message()).isEqualTo("cannot read " + special + ": not a regular file (a device, FIFO or socket)");
          assertThat(e.unreadableFile()).isTrue();
        });
      }
    }

    @Test
    void aKeyFileOverOneMebibyteIsRefusedUnread() throws IOException {
      Files.write(dir.resolve("huge.pem"), new byte[(1 << 20) + 1]);
      assertThat(errors(MINIMAL.replace("ed1.pub.pem", "huge.pem"), dir)).containsExactly(
          "targets[0].keys[0].file: cannot read " + dir.resolve("huge.pem") + ": larger than 1 MiB (1048577 bytes)");
    }

    @Test
    void tlsFilesAndTheEventKeyAreCheckedTheSameWay() throws Exception {
      String tls = ConfigFixtures.target("tls: {caFile: /dev/zero, certFile: " + fifo() + ", keyFile: ed1.pub.pem}")
          .replace("http:", "https:");
      assertThat(errors(tls, dir)).containsExactly(
          "targets[0].tls.caFile: cannot read /dev/zero: not a regular file (a device, FIFO or socket)",
          "targets[0].tls.certFile: cannot read " + dir.resolve("pipe") + ": not a regular file (a device, FIFO or socket)");
      assertThat(errors(ConfigFixtures.withMinimalTargets("events: {signingKey: /dev/zero}"), dir)).containsExactly(
          "events.signingKey: cannot read /dev/zero: not a regular file (a device, FIFO or socket)");
    }

    @Test
    void theConfigurationFileItselfIsCappedAndCheckedFirst() throws Exception {
      Path big = dir.resolve("big.yaml");
      Files.write(big, new byte[(int) BoundedFiles.CONFIG_MAX_BYTES + 1]);
      for (Path p : List.of(big, Path.of("/dev/zero"), fifo())) {
        ConfigResult r = ConfigLoader.load(p, Map.of());
        assertThat(r.errors()).singleElement().satisfies(e -> {
          assertThat(e.path()).isEmpty();
          assertThat(e.message()).startsWith("cannot read " + p + ": ");
          assertThat(e.unreadableFile()).isTrue();
        });
      }
    }

    @Test
    void aConfigurationNearTheCapInShortLinesLoads() throws IOException {
      StringBuilder yaml = new StringBuilder();
      String comment = "# " + "x".repeat(1000) + "\n";
      while (yaml.length() + comment.length() + MINIMAL.length() < BoundedFiles.CONFIG_MAX_BYTES) {
        yaml.append(comment);
      }
      Path file = Files.writeString(dir.resolve("long.yaml"), yaml + MINIMAL);
      assertThat(ConfigLoader.load(file, Map.of()).errors()).isEmpty();
    }

    @Test
    void aSingleLineLongerThanTheLineLimitIsRefusedBeforeParsing() throws IOException {
      String value = "x".repeat(YamlDocument.MAX_LINE_CHARS);
      Path file = Files.writeString(dir.resolve("one-line.yaml"), MINIMAL + "monitorId: " + value + "\n");
      assertThat(ConfigLoader.load(file, Map.of()).errors()).extracting(ConfigError::toString).containsExactly(
          "line 7 has " + (value.length() + 11) + " characters, more than the limit of 65536; split the value"
              + " (a block scalar, | or >, spans lines)");
      Path fits = Files.writeString(dir.resolve("fits.yaml"),
          MINIMAL + "monitorId: m" + "x".repeat(YamlDocument.MAX_LINE_CHARS - 12) + "\n");
      assertThat(ConfigLoader.load(fits, Map.of()).errors()).isEmpty();
    }
  }
}
