package dev.vigil.attest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON reader for untrusted bytes: bounded nesting and number length (so hostile input is
 * rejected in linear time), duplicate keys rejected (two parsers must never read different
 * values), no trailing data.
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
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new Malformed(what + " is empty");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new Malformed(what + " exceeds a parser limit: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Malformed(what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
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
