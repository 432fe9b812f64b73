package dev.vigil.attest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON reader for untrusted bytes: strict UTF-8 only ({@link Utf8}), bounded nesting and
 * number length (so hostile input is rejected in linear time), duplicate keys rejected (two parsers
 * must never read different values), no trailing data. Whatever the bytes, {@link #read} ends in a
 * node or a {@link Malformed}, never another exception.
 */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder(
          JsonFactory.builder()
              .streamReadConstraints(StreamReadConstraints.builder()
                  .maxNestingDepth(32)
                  .maxNumberLength(64)
                  .maxStringLength(16 * 1024 * 1024)
                  .build())
              .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .build();

  private Json() {}

  static JsonNode read(byte[] bytes, String what) throws Malformed {
    String encoding = Utf8.problem(bytes);
    if (encoding != null) {
      throw new Malformed(what + " is not UTF-8 JSON: " + encoding);
    }
    JsonParser parser = null;
    try {
      parser = MAPPER.createParser(bytes);
      JsonNode node = MAPPER.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new Malformed(what + " is empty");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new Malformed(what + " exceeds a parser limit" + where(parser) + ": " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new Malformed(what + " is not valid JSON" + where(parser) + ": " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Malformed(what + " cannot be read: " + firstLine(e.getMessage()));
    } catch (RuntimeException e) {
      // e.g. a NumberFormatException for an exponent beyond BigDecimal's range ({"x":1e999999999999})
      throw new Malformed(what + " is not valid JSON" + where(parser) + ": " + e.getClass().getSimpleName()
          + ": " + firstLine(e.getMessage()));
    } finally {
      closeQuietly(parser);
    }
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException ignored) {
        // a parser over a byte array holds no resource that can fail to close
      }
    }
  }

  /** The JSON pointer and position the parser had reached, e.g. " at /predicate/slo (line 1, column 80)". */
  private static String where(JsonParser parser) {
    if (parser == null) {
      return "";
    }
    JsonLocation loc = parser.currentLocation();
    String pointer = parser.getParsingContext().pathAsPointer().toString();
    return " at " + (pointer.isEmpty() ? "/" : Statement.clip(pointer))
        + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  static JsonNode object(JsonNode parent, String field, String path) throws Malformed {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new Malformed(path + " is missing");
    }
    if (!n.isObject()) {
      throw new Malformed(path + " must be an object, got " + n.getNodeType().name().toLowerCase());
    }
    return n;
  }

  static String text(JsonNode parent, String field, String path) throws Malformed {
    String s = optionalText(parent, field, path);
    if (s == null) {
      throw new Malformed(path + " is missing");
    }
    return s;
  }

  static String optionalText(JsonNode parent, String field, String path) throws Malformed {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new Malformed(path + " must be a string, got " + n.getNodeType().name().toLowerCase());
    }
    return n.textValue();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
