package dev.vigil.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names, types and labels of metrics-v1.md (a contract), read from the copy in
 * src/test/resources/spec (MetricsSpecCopyTest checks it against ../shared/spec when present).
 */
final class MetricsSpec {
  record Metric(String name, String type, Set<String> labels) {}

  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_:]+)` \\| (gauge|counter|histogram) \\| ([^|]*) \\|", Pattern.MULTILINE);

  static String text() {
    try (InputStream in = MetricsSpec.class.getResourceAsStream("/spec/metrics-v1.md")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource spec/metrics-v1.md");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Metric by name, in the spec's order. */
  static Map<String, Metric> metrics() {
    Map<String, Metric> out = new LinkedHashMap<>();
    Matcher m = ROW.matcher(text());
    while (m.find()) {
      String labels = m.group(3).trim();
      Set<String> set = new LinkedHashSet<>();
      if (!labels.equals("—") && !labels.isEmpty()) {
        Arrays.stream(labels.split(",")).map(String::trim).forEach(set::add);
      }
      out.put(m.group(1), new Metric(m.group(1), m.group(2), set));
    }
    return out;
  }

  /** The series names a Prometheus query may use for the spec's metrics (histograms as _bucket, _sum, _count). */
  static Map<String, Metric> seriesNames() {
    Map<String, Metric> out = new LinkedHashMap<>();
    for (Metric m : metrics().values()) {
      if (m.type().equals("histogram")) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
          out.put(m.name() + suffix, m);
        }
      } else {
        out.put(m.name(), m);
      }
    }
    return out;
  }
}
