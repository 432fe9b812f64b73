package dev.vigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.events.Outbox;
import dev.vigil.events.SignedEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil outbox list DIR}: the events a monitor's outbox holds (pending, and dead-lettered),
 * read without changing the files, so it is safe while the monitor runs.
 */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = "Look into a monitor's durable event outbox.")
final class OutboxCommand extends ParentCommand {
  private static final List<String> COLUMNS = List.of("SEQ", "ID", "TYPE", "KEY", "BYTES");

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
          "List the events waiting in the outbox directory DIR (events.outboxDir) for Kafka, oldest first, and the"
              + " events moved to its dead-letter file. Reads only: safe while the monitor runs.",
          "Exit status: 0 listed, 2 DIR or its files missing, unreadable or corrupt (the intact records are still"
              + " listed)."
      })
  int list(@Parameters(paramLabel = "DIR", description = "The outbox directory.") Path dir,
      @Option(names = "--json", description = "Print one JSON object instead of tables.") boolean json) {
    Path file = RecordLogListing.logFile(dir, "outbox.log");
    Outbox.Snapshot s = RecordLogListing.read(file, () -> Outbox.read(dir));
    ObjectNode body = RecordLogListing.JSON.createObjectNode();
    ArrayNode pendingJson = body.putArray("pending");
    ArrayNode deadJson = body.putArray("deadLettered");
    List<List<String>> pending = new ArrayList<>();
    for (Outbox.Entry e : s.pending()) {
      pendingJson.add(json(e.seq(), e.event()));
      pending.add(row(e.seq(), e.event()));
    }
    List<List<String>> dead = new ArrayList<>();
    for (Outbox.DeadLetter d : s.deadLetters()) {
      deadJson.add(json(d.seq(), d.event()).put("reason", d.reason()).put("detail", d.detail())
          .put("at", d.at().toString()));
      List<String> r = new ArrayList<>(row(d.seq(), d.event()));
      r.addAll(List.of(d.at().toString(), d.reason(), d.detail()));
      dead.add(r);
    }
    List<RecordLogListing.Section> sections = new ArrayList<>();
    sections.add(new RecordLogListing.Section(file, s.pending().size() + " pending event(s)", COLUMNS, pending,
        s.log()));
    List<String> deadColumns = new ArrayList<>(COLUMNS);
    deadColumns.addAll(List.of("AT", "REASON", "DETAIL"));
    s.deadLetterLog().ifPresent(r -> sections.add(new RecordLogListing.Section(dir.resolve("dead-letter.log"),
        dead.size() + " dead-lettered event(s)", deadColumns, dead, r)));
    return RecordLogListing.print(spec.commandLine().getOut(), spec.commandLine().getErr(), json, dir, body, sections);
  }

  private static List<String> row(long seq, SignedEvent e) {
    return List.of(Long.toString(seq), e.id(), e.type(), e.key(), Integer.toString(e.value().length));
  }

  private static ObjectNode json(long seq, SignedEvent e) {
    return RecordLogListing.JSON.createObjectNode().put("seq", seq).put("id", e.id()).put("type", e.type())
        .put("source", e.source()).put("key", e.key()).put("bytes", e.value().length);
  }
}
