package dev.vigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.rollback.DedupStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil dedup list DIR}: what the rollback controller decided for each breach event, from
 * its de-duplication store, read without changing it, so it is safe while the controller runs.
 */
@Command(
    name = "dedup",
    mixinStandardHelpOptions = true,
    description = "Look into the rollback controller's de-duplication store.")
final class DedupCommand extends ParentCommand {
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
          "List what the rollback controller recorded for each breach event in the store directory DIR"
              + " (rollback.dedupDir): MOVED (traffic moved, report pending) or FINISHED with its status."
              + " Reads only: safe while the controller runs.",
          "Exit status: 0 listed, 2 DIR or its file missing, unreadable or corrupt (the intact records are still"
              + " listed)."
      })
  int list(@Parameters(paramLabel = "DIR", description = "The de-duplication store directory.") Path dir,
      @Option(names = "--json", description = "Print one JSON object instead of a table.") boolean json) {
    Path file = RecordLogListing.logFile(dir, "dedup.log");
    DedupStore.Snapshot s = RecordLogListing.read(file, () -> DedupStore.read(dir));
    ObjectNode body = RecordLogListing.JSON.createObjectNode();
    ArrayNode entries = body.putArray("entries");
    List<List<String>> rows = new ArrayList<>();
    for (DedupStore.Entry e : s.entries()) {
      entries.addObject().put("eventId", e.eventId()).put("breachId", e.breachId()).put("service", e.service())
          .put("state", e.state().name()).put("status", e.status()).put("startedAt", e.startedAt().toString())
          .put("at", e.at().toString());
      rows.add(Arrays.asList(e.eventId(), e.breachId(), e.service(), e.state().name(), e.status(),
          e.startedAt().toString(), e.at().toString()));
    }
    RecordLogListing.Section section = new RecordLogListing.Section(file, s.entries().size() + " breach event(s)",
        List.of("EVENT ID", "BREACH ID", "SERVICE", "STATE", "STATUS", "STARTED", "AT"), rows, s.log());
    return RecordLogListing.print(spec.commandLine().getOut(), spec.commandLine().getErr(), json, dir, body,
        List.of(section));
  }
}
