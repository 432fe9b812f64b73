package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.Outbox;
import dev.vigil.events.SignedEvent;
import dev.vigil.rollback.BreachEvent;
import dev.vigil.rollback.DedupStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code vigil outbox list} and {@code vigil dedup list} on real files, good and bad. */
class RecordLogCommandsTest {
  static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static SignedEvent event(int n) {
    return new SignedEvent("id-" + n, CloudEvent.BREACH_OPENED, "vigil://monitor/m", "svc-" + n,
        ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** An outbox with id-1 acknowledged, id-2 dead-lettered and id-0, id-3 pending. */
  Path outbox() throws IOException {
    Path d = dir.resolve("outbox");
    try (Outbox o = Outbox.open(d, 100)) {
      for (int i = 0; i < 4; i++) {
        o.append(event(i));
      }
      o.acknowledge(List.of(2L));
      o.deadLetter(3, "too_large", "RecordTooLargeException: \u001b[31mtoo big", T0);
    }
    return d;
  }

  Path dedup() throws IOException {
    Path d = dir.resolve("rollback");
    try (DedupStore s = DedupStore.open(d, Duration.ofDays(7), T0)) {
      BreachEvent a = new BreachEvent("e-1", "b-1", "auth-service", "green", "hash_mismatch", "critical", T0);
      BreachEvent b = new BreachEvent("e-2", "b-2", "integrity-service", "green", "integrity", "critical", T0);
      s.moved(a, T0, T0.plusSeconds(1));
      s.moved(b, T0, T0.plusSeconds(1));
      s.finished(b, "succeeded", T0, T0.plusSeconds(3));
    }
    return d;
  }

  static void flipInTheMiddle(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x04;
    Files.write(file, b);
  }

  @Nested
  class OutboxList {
    @Test
    void aTableOfPendingAndDeadLetteredEvents() throws IOException {
      Path d = outbox();
      Cli.Result r = Cli.run("outbox", "list", d.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains(d.resolve("outbox.log") + ": 2 pending event(s)")
          .containsPattern("SEQ +ID +TYPE +KEY +BYTES")
          .containsPattern("1 +id-0 +dev.vigil.breach.opened +svc-0 +7")
          .containsPattern("4 +id-3 +dev.vigil.breach.opened +svc-3 +7")
          .contains(d.resolve("dead-letter.log") + ": 1 dead-lettered event(s)")
          .containsPattern("3 +id-2 .* 2026-11-26T18:00:00Z +too_large +RecordTooLargeException: \\\\u001b\\[31mtoo big")
          .doesNotContain("id-1 ").doesNotContain("\u001b");
      assertThat(r.err()).isEmpty();
    }

    @Test
    void json() throws IOException {
      Path d = outbox();
      Cli.Result r = Cli.run("outbox", "list", "--json", d.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode root = JSON.readTree(r.out());
      assertThat(root.get("pending").findValuesAsText("id")).containsExactly("id-0", "id-3");
      assertThat(root.at("/pending/0/seq").asLong()).isEqualTo(1);
      assertThat(root.at("/pending/0/key").asText()).isEqualTo("svc-0");
      assertThat(root.at("/deadLettered/0/id").asText()).isEqualTo("id-2");
      assertThat(root.at("/deadLettered/0/reason").asText()).isEqualTo("too_large");
      assertThat(root.at("/deadLettered/0/at").asText()).isEqualTo("2026-11-26T18:00:00Z");
      assertThat(root.at("/files/0/corruptRecords").asLong()).isZero();
      assertThat(root.at("/files/1/file").asText()).endsWith("dead-letter.log");
    }

    @Test
    void anEmptyOutboxListsNothing() throws IOException {
      Path d = dir.resolve("empty");
      Outbox.open(d, 10).close();
      Cli.Result r = Cli.run("outbox", "list", d.toString());
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains(": 0 pending event(s)").doesNotContain("dead-letter");
    }

    @Test
    void aCorruptRecordIsNamedWithItsOffsetAndTheIntactOnesStillListed() throws IOException {
      Path d = outbox();
      Path file = d.resolve("outbox.log");
      flipInTheMiddle(file);
      byte[] before = Files.readAllBytes(file);
      Cli.Result r = Cli.run("outbox", "list", d.toString());

      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains(file.toString()).containsPattern("1 corrupt record\\(s\\) at byte offset\\(s\\) \\[\\d+]");
      assertThat(r.out()).contains("id-3");
      assertThat(Files.readAllBytes(file)).as("listing never repairs").isEqualTo(before);
    }

    @Test
    void aRecordBeingWrittenIsANoteNotAnError() throws IOException {
      Path d = outbox();
      Files.write(d.resolve("outbox.log"), new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);
      Cli.Result r = Cli.run("outbox", "list", d.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.err()).contains("the last 6 bytes are not a whole record");
    }
  }

  @Nested
  class DedupList {
    @Test
    void aTableOfDecisions() throws IOException {
      Path d = dedup();
      Cli.Result r = Cli.run("dedup", "list", d.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains(d.resolve("dedup.log") + ": 2 breach event(s)")
          .containsPattern("EVENT ID +BREACH ID +SERVICE +STATE +STATUS +STARTED +AT")
          .containsPattern("e-1 +b-1 +auth-service +MOVED +- +2026-11-26T18:00:00Z +2026-11-26T18:00:01Z")
          .containsPattern("e-2 +b-2 +integrity-service +FINISHED +succeeded +2026-11-26T18:00:00Z +2026-11-26T18:00:03Z");
    }

    @Test
    void json() throws IOException {
      Path d = dedup();
      Cli.Result r = Cli.run("dedup", "list", d.toString(), "--json");

      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode root = JSON.readTree(r.out());
      assertThat(root.get("entries")).hasSize(2);
      assertThat(root.at("/entries/1/eventId").asText()).isEqualTo("e-2");
      assertThat(root.at("/entries/1/state").asText()).isEqualTo("FINISHED");
      assertThat(root.at("/entries/1/status").asText()).isEqualTo("succeeded");
      assertThat(root.at("/entries/0/status").isNull()).isTrue();
      assertThat(root.at("/files/0/records").asLong()).isEqualTo(3);
    }

    @Test
    void aCorruptRecordExitsTwoNamingTheFile() throws IOException {
      Path d = dedup();
      flipInTheMiddle(d.resolve("dedup.log"));
      Cli.Result r = Cli.run("dedup", "list", "--json", d.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains(d.resolve("dedup.log").toString()).contains("corrupt record");
      assertThat(JSON.readTree(r.out()).at("/files/0/corruptRecords").asLong()).isEqualTo(1);
    }
  }

  @Nested
  class BadInput {
    @ParameterizedTest
    @ValueSource(strings = {"outbox", "dedup"})
    void aMissingDirectory(String command) {
      Path missing = dir.resolve("nope");
      Cli.Result r = Cli.run(command, "list", missing.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(missing + ": no such directory");
      assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"outbox", "dedup"})
    void aFileInsteadOfADirectory(String command) throws IOException {
      Path file = Files.writeString(dir.resolve("plain.txt"), "x");
      Cli.Result r = Cli.run(command, "list", file.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(file + ": not a directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"outbox", "dedup"})
    void aDirectoryWithoutTheLog(String command) {
      Cli.Result r = Cli.run(command, "list", dir.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(dir.resolve(command + ".log") + ": no such file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"outbox", "dedup"})
    void aLogThatIsADirectory(String command) throws IOException {
      Files.createDirectory(dir.resolve(command + ".log"));
      Cli.Result r = Cli.run(command, "list", dir.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(dir.resolve(command + ".log") + ": is a directory, not a record log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"outbox", "dedup"})
    void noSubcommandOrNoDirIsAUsageError(String command) {
      assertThat(Cli.run(command).code()).isEqualTo(2);
      Cli.Result r = Cli.run(command, "list");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("DIR");
    }

    @ParameterizedTest
    @ValueSource(strings = {"outbox", "dedup"})
    void helpNamesTheDirAndJson(String command) {
      Cli.Result r = Cli.run(command, "list", "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).startsWith("Usage: vigil " + command + " list").contains("DIR", "--json", "Exit status");
      assertThat(Cli.run("--help").out()).contains(command);
    }
  }
}
