package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.events.Outbox;
import dev.vigil.events.SignedEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil outbox list DIR}: the events a monitor's outbox holds (pending, and dead-lettered),
 * read without changing the files, so it is safe while the monitor runs.
 */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = "Look into a monitor's durable event outbox.")
final class OutboxCommand implements Runnable {
  private static final List<String> EVENT_COLUMNS = List.of("SEQ", "ID", "TYPE", "KEY", "BYTES");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: list");
  }

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
      @Option(names = "--json", description = "Print one JSON object instead of tables.") boolean json)
      throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = RecordLogListing.logFile(dir, "outbox.log");
    Outbox.Snapshot s = RecordLogListing.read(file, () -> Outbox.read(dir));
    Path deadFile = dir.resolve("dead-letter.log");
    if (json) {
      ObjectNode root = RecordLogListing.JSON.createObjectNode();
      root.put("dir", dir.toString());
      ArrayNode pending = root.putArray("pending");
      s.pending().forEach(e -> pending.add(event(e.seq(), e.event())));
      ArrayNode dead = root.putArray("deadLettered");
      for (Outbox.DeadLetter d : s.deadLetters()) {
        dead.add(event(d.seq(), d.event()).put("reason", d.reason()).put("detail", d.detail())
            .put("at", d.at().toString()));
      }
      ArrayNode files = root.putArray("files");
      files.add(RecordLogListing.fileJson(file, s.log()));
      s.deadLetterLog().ifPresent(r -> files.add(RecordLogListing.fileJson(deadFile, r)));
      out.println(RecordLogListing.JSON.writeValueAsString(root));
    } else {
      out.println(file + ": " + s.pending().size() + " pending event(s)");
      List<List<String>> rows = new ArrayList<>();
      s.pending().forEach(e -> rows.add(row(e.seq(), e.event())));
      RecordLogListing.table(out, EVENT_COLUMNS, rows);
      if (!s.deadLetters().isEmpty()) {
        out.println();
        out.println(deadFile + ": " + s.deadLetters().size() + " dead-lettered event(s)");
        List<List<String>> dead = new ArrayList<>();
        for (Outbox.DeadLetter d : s.deadLetters()) {
          List<String> r = new ArrayList<>(row(d.seq(), d.event()));
          r.addAll(List.of(d.at().toString(), d.reason(), d.detail()));
          dead.add(r);
        }
        List<String> columns = new ArrayList<>(EVENT_COLUMNS);
        columns.addAll(List.of("AT", "REASON", "DETAIL"));
        RecordLogListing.table(out, columns, dead);
      }
    }
    int code = RecordLogListing.verdict(err, file, s.log());
    if (s.deadLetterLog().isPresent()) {
      code = Math.max(code, RecordLogListing.verdict(err, deadFile, s.deadLetterLog().get()));
    }
    return code;
  }

  private static List<String> row(long seq, SignedEvent e) {
    return List.of(Long.toString(seq), e.id(), e.type(), e.key(), Integer.toString(e.value().length));
  }

  private static ObjectNode event(long seq, SignedEvent e) {
    return RecordLogListing.JSON.createObjectNode().put("seq", seq).put("id", e.id()).put("type", e.type())
        .put("source", e.source()).put("key", e.key()).put("bytes", e.value().length);
  }
}
