package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code vigil outbox list} and {@code vigil dedup list} share: checking the directory and its
 * log file (each problem an input error naming the path, exit 2), an aligned table whose cells are
 * escaped and clipped, the JSON of what a scan found in a file, and the verdict on a damaged file.
 * Stateless.
 */
final class RecordLogListing {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int CELL = 60;

  private RecordLogListing() {}

  /** The log {@code name} in the directory {@code dir}, which must both exist. */
  static Path logFile(Path dir, String name) {
    if (!Files.exists(dir)) {
      throw new Main.InputException(dir + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new Main.InputException(dir + ": not a directory");
    }
    Path file = dir.resolve(name);
    if (Files.isDirectory(file)) {
      throw new Main.InputException(file + ": is a directory, not a record log");
    }
    if (!Files.isRegularFile(file)) {
      throw new Main.InputException(file + ": no such file (is " + dir + " the right directory?)");
    }
    return file;
  }

  /** Runs a scan, turning a read error into an input error naming {@code file}. */
  static <T> T read(Path file, Scan<T> scan) {
    try {
      return scan.run();
    } catch (IOException e) {
      throw new Main.InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** A scan of a directory that may fail to read. */
  @FunctionalInterface
  interface Scan<T> {
    T run() throws IOException;
  }

  /** Prints {@code rows} under {@code headers}, columns aligned. */
  static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    int[] width = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    for (List<String> r : rows) {
      all.add(r.stream().map(RecordLogListing::cell).toList());
    }
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(i == r.size() - 1 ? r.get(i) : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** A table cell: control characters escaped, at most {@value #CELL} chars. */
  static String cell(String s) {
    if (s == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
        b.append(String.format(Locale.ROOT, "\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.length() <= CELL ? b.toString() : b.substring(0, CELL - 1) + "…";
  }

  /** One log file's part of a listing: a heading, a table, and what the scan of the file found. */
  record Section(Path file, String heading, List<String> columns, List<List<String>> rows,
      RecordLog.Recovery recovery) {}

  /**
   * Prints the listing of {@code dir}: as JSON ({@code body} plus {@code dir} and {@code files}), or
   * as a table per section (the first always, the others when they have rows); then the verdict.
   */
  static int print(PrintWriter out, PrintWriter err, boolean json, Path dir, ObjectNode body, List<Section> sections) {
    if (json) {
      ObjectNode root = JSON.createObjectNode().put("dir", dir.toString());
      root.setAll(body);
      sections.forEach(s -> root.withArray("files").add(fileJson(s.file(), s.recovery())));
      try {
        out.println(JSON.writeValueAsString(root));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialise a JSON tree", e);
      }
    } else {
      for (int i = 0; i < sections.size(); i++) {
        Section s = sections.get(i);
        if (i == 0 || !s.rows().isEmpty()) {
          out.print(i == 0 ? "" : System.lineSeparator());
          out.println(s.file() + ": " + s.heading());
          table(out, s.columns(), s.rows());
        }
      }
    }
    int code = 0;
    for (Section s : sections) {
      code = Math.max(code, verdict(err, s.file(), s.recovery()));
    }
    return code;
  }

  /** What the scan of {@code file} found, as JSON. */
  static ObjectNode fileJson(Path file, RecordLog.Recovery r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("file", file.toString());
    o.put("records", r.records());
    o.put("corruptRecords", r.corruptRecords());
    r.corruptOffsets().forEach(o.putArray("corruptOffsets")::add);
    o.put("tailBytes", r.tailBytes());
    return o;
  }

  /**
   * Tells about damage in {@code file} on {@code err}; returns 2 when records are corrupt, else 0 (an
   * incomplete last record is a write in progress or a torn tail the owner cuts at its next start).
   */
  private static int verdict(PrintWriter err, Path file, RecordLog.Recovery r) {
    if (r.tailBytes() > 0 && r.corruptRecords() == 0) {
      err.println(file + ": the last " + r.tailBytes() + " bytes are not a whole record (a write in progress, or a"
          + " torn tail the next start cuts off)");
    }
    if (r.corruptRecords() == 0) {
      return 0;
    }
    err.println(file + ": " + r.corruptRecords() + " corrupt record(s) at byte offset(s) " + r.corruptOffsets()
        + "; they are skipped, the intact records are listed");
    return Main.INPUT_ERROR;
  }
}
