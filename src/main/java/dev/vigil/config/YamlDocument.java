package dev.vigil.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * YAML text to a Jackson tree. Before building the tree, one pass over the tokens refuses what
 * the tree would silently lose: a key given twice in one mapping (the tree keeps only the last),
 * aliases ({@code *name}, which Jackson turns into the string "name"), and a second document.
 * Lines are at most {@value #MAX_LINE_CHARS} characters: SnakeYAML copies its whole look-ahead
 * window for every 1,024 characters it reads within one token, so its time grows with the square
 * of a line's length (a 2 MiB line took 30 s); with the line bounded, loading is linear in the
 * document's size. Thread-safe.
 */
final class YamlDocument {
  static final int MAX_LINE_CHARS = 64 * 1024;
  private static final YAMLMapper MAPPER = new YAMLMapper();

  private YamlDocument() {}

  /** The document's tree (MissingNode when empty), or null after reporting why it cannot be read. */
  static JsonNode read(String yaml, LoadContext ctx) {
    String longLine = longLine(yaml);
    if (longLine != null) {
      ctx.error("", longLine);
      return null;
    }
    try {
      if (!scan(yaml, ctx)) {
        return null;
      }
      try (JsonParser p = MAPPER.createParser(yaml)) {
        JsonNode tree = MAPPER.readTree(p);
        return tree == null ? MissingNode.getInstance() : tree;
      }
    } catch (JsonProcessingException e) {
      ctx.error("", syntaxMessage(e));
      return null;
    } catch (IOException e) {
      ctx.error("", "cannot read the YAML: " + e.getMessage());
      return null;
    }
  }

  /** Reports duplicate keys, aliases and extra documents; false when there was any. */
  private static boolean scan(String yaml, LoadContext ctx) throws IOException {
    boolean clean = true;
    try (YAMLParser p = MAPPER.getFactory().createParser(yaml)) {
      Deque<Set<String>> keys = new ArrayDeque<>();
      int documents = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (keys.isEmpty() && ++documents > 1) {
          ctx.error("", "a second YAML document at line " + line(p) + "; a configuration is one document");
          return false;
        }
        if (p.isCurrentAlias()) {
          ctx.error(pathOf(p.getParsingContext()), "YAML aliases (*" + p.getText()
              + ") are not supported; write the value out (line " + line(p) + ")");
          clean = false;
        }
        if (t == JsonToken.FIELD_NAME && !keys.peek().add(p.currentName())) {
          ctx.error(pathOf(p.getParsingContext()), "duplicate key (line " + line(p) + ")");
          clean = false;
        } else if (t == JsonToken.START_OBJECT) {
          keys.push(new HashSet<>());
        } else if (t == JsonToken.START_ARRAY) {
          keys.push(Set.of());
        } else if (t.isStructEnd()) {
          keys.pop();
        }
      }
    }
    return clean;
  }

  /** Which line is longer than {@link #MAX_LINE_CHARS}, in words, or null when none is. */
  private static String longLine(String yaml) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= yaml.length(); i++) {
      if (i == yaml.length() || yaml.charAt(i) == '\n') {
        if (i - start > MAX_LINE_CHARS) {
          return "line " + line + " has " + (i - start) + " characters, more than the limit of " + MAX_LINE_CHARS
              + "; split the value (a block scalar, | or >, spans lines)";
        }
        line++;
        start = i + 1;
      }
    }
    return null;
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** The YAML path of a parser position, e.g. {@code targets[0].keys}. */
  private static String pathOf(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        path.insert(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        path.insert(0, "." + c.getCurrentName());
      }
    }
    return path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
  }

  private static String syntaxMessage(JsonProcessingException e) {
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
      return "not valid YAML at line " + (y.getProblemMark().getLine() + 1) + ", column "
          + (y.getProblemMark().getColumn() + 1) + ": " + y.getProblem()
          + (y.getContext() == null ? "" : " (" + y.getContext() + ")");
    }
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    return "not valid YAML" + where + ": " + original.lines().findFirst().orElse(original);
  }
}
