package dev.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code evidence}: the monitor's evidence log (evidence-v1). On by default: a monitor run from a
 * configuration file records into {@code dir} (default {@code vigil-evidence} beside the file)
 * unless {@code enabled: false}; a configuration built in code records nothing
 * ({@link #disabled()}). Entries are fsync'ed in batches at most {@code flushInterval} apart (the
 * window an observation can be lost in at a crash), one {@code verdict} sample per target per
 * {@code sampleInterval} while nothing changes, a signed checkpoint every {@code checkpointInterval}
 * when the log grew; entries older than {@code retention.maxAge}, or beyond {@code
 * retention.maxBytes} from the oldest, are pruned (the pruned prefix kept as hashes). Immutable.
 *
 * @param dir the log's directory (relative paths resolve against the configuration file); null when off
 * @param maxBytes the largest size of the log's entries on disk before the oldest are pruned
 */
public record EvidenceConfig(Path dir, Duration sampleInterval, Duration flushInterval, Duration checkpointInterval,
    Duration maxAge, long maxBytes) {
  public static final String DEFAULT_DIR = "vigil-evidence";
  public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(400);
  public static final long DEFAULT_MAX_BYTES = 10L << 30;
  static final long MIN_MAX_BYTES = 1L << 20;
  private static final List<String> KEYS =
      List.of("enabled", "dir", "sampleInterval", "flushInterval", "checkpointInterval", "retention");
  private static final List<String> RETENTION_KEYS = List.of("maxAge", "maxBytes");
  private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,15})\\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB)?\\s*");

  /** No evidence log (a configuration built in code: benchmarks, tests). */
  public static EvidenceConfig disabled() {
    return new EvidenceConfig(null, DEFAULT_SAMPLE_INTERVAL, DEFAULT_FLUSH_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL,
        DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES);
  }

  /** True when the monitor records evidence. */
  public boolean enabled() {
    return dir != null;
  }

  /** This configuration recording into {@code dir} (a test, the demo). */
  public EvidenceConfig withDir(Path dir) {
    return new EvidenceConfig(dir, sampleInterval, flushInterval, checkpointInterval, maxAge, maxBytes);
  }

  /** Parses a byte size: a count with an optional unit B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB. */
  public static long parseBytes(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: use a number of bytes with an optional unit, e.g. 512MiB or 10GB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor = switch (unit) {
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      case "TB" -> 1_000_000_000_000L;
      default -> 1L;
    };
    if (n > Long.MAX_VALUE / factor) {
      throw new IllegalArgumentException("too large");
    }
    return n * factor;
  }

  /** Formats a byte size the way {@link #parseBytes} reads it. */
  public static String formatBytes(long bytes) {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes >= 1L << shifts[i] && bytes % (1L << shifts[i]) == 0) {
        return (bytes >> shifts[i]) + units[i];
      }
    }
    return bytes + "B";
  }

  static EvidenceConfig read(Node node) {
    Mapping m = Mapping.of(node, KEYS);
    boolean enabled = m.bool("enabled", true);
    String dir = m.string("dir", DEFAULT_DIR);
    m.check("dir", !dir.isBlank(), "must not be empty");
    Duration sample = m.duration("sampleInterval", DEFAULT_SAMPLE_INTERVAL);
    m.check("sampleInterval", sample.compareTo(Duration.ofSeconds(1)) >= 0 && sample.compareTo(Duration.ofDays(7)) <= 0,
        "must be from 1s to 7d, got " + Durations.format(sample));
    Duration flush = m.duration("flushInterval", DEFAULT_FLUSH_INTERVAL);
    m.check("flushInterval", !flush.isNegative() && flush.compareTo(Duration.ofMinutes(1)) <= 0,
        "must be from 0s (fsync every entry) to 1m, got " + Durations.format(flush));
    Duration checkpoint = m.duration("checkpointInterval", DEFAULT_CHECKPOINT_INTERVAL);
    m.check("checkpointInterval", checkpoint.compareTo(Duration.ofSeconds(1)) >= 0
        && checkpoint.compareTo(Duration.ofDays(1)) <= 0, "must be from 1s to 1d, got " + Durations.format(checkpoint));
    if (m.ok("flushInterval", "checkpointInterval")) {
      m.check("checkpointInterval", checkpoint.compareTo(flush) >= 0,
          "must not be shorter than evidence.flushInterval (" + Durations.format(flush) + ")");
    }
    Mapping r = Mapping.of(m.node("retention"), RETENTION_KEYS);
    Duration maxAge = r.duration("maxAge", DEFAULT_MAX_AGE);
    r.check("maxAge", maxAge.compareTo(Duration.ofHours(1)) >= 0, "must be at least 1h, got " + Durations.format(maxAge));
    long maxBytes = r.parsed("maxBytes", DEFAULT_MAX_BYTES, EvidenceConfig::parseBytes);
    r.check("maxBytes", maxBytes >= MIN_MAX_BYTES, "must be at least 1MiB, got " + formatBytes(maxBytes));
    Path path = enabled ? node.context().resolve(dir.isBlank() ? DEFAULT_DIR : dir) : null;
    return new EvidenceConfig(path, sample, flush, checkpoint, maxAge, maxBytes);
  }

  @Override
  public String toString() {
    return "EvidenceConfig[dir=" + dir + ", sampleInterval=" + Durations.format(sampleInterval) + ", flushInterval="
        + Durations.format(flushInterval) + ", checkpointInterval=" + Durations.format(checkpointInterval)
        + ", maxAge=" + Durations.format(maxAge) + ", maxBytes=" + formatBytes(maxBytes).toLowerCase(Locale.ROOT) + "]";
  }
}
