package dev.vigil.monitor;

import dev.vigil.attest.Verdict;
import dev.vigil.score.TargetId;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The per-target series of metrics-v1 ({@code constitutional_hash_valid},
 * {@code constitutional_compliance_score}, {@code constitutional_attestation_signed},
 * {@code constitutional_target_up}, {@code constitutional_attestation_checks_total},
 * {@code constitutional_attester_restarts_total}, {@code constitutional_probe_duration_seconds}
 * and its {@code _max}, {@code constitutional_tls_verification_relaxed}) as one Prometheus collector over one small record per target, instead of
 * eight Micrometer meters per target: about 4.8 KB of heap per target became a few hundred bytes
 * (docs/benchmarks.md). The exposition is the one Micrometer wrote for the same meters (same names,
 * help, label names, bucket bounds; {@code _max} the largest probe duration of the last one to two
 * minutes, as Micrometer's time-window max).
 *
 * <p>Thread safety: {@link #record} from the monitor's context, {@link #collect} from any thread;
 * each target's record is guarded by its own lock, held for a few field writes or reads, so a
 * scrape never sees a histogram whose buckets and count disagree.
 */
final class TargetSeries implements MultiCollector {
  /** How long one slot of the time-window max covers; the max reported spans one to two slots. */
  static final long MAX_SLOT_MILLIS = 60_000;
  private static final Verdict[] VERDICTS = Verdict.values();

  private final double[] bounds;
  private final LongSupplier millis;
  private final Map<TargetId, Series> series = new ConcurrentHashMap<>();
  private volatile Map<TargetId, Boolean> tlsRelaxed = Map.of();

  /** One target's figures. */
  private final class Series {
    final Labels labels;
    boolean hashValid;
    boolean signed;
    boolean up;
    double score = Double.NaN;
    final long[] checks = new long[VERDICTS.length];
    long restarts;
    boolean restartSeen;
    final long[] buckets = new long[bounds.length];
    long count;
    long sumNanos;
    double max;
    double previousMax;
    long maxSlot;

    Series(TargetId id) {
      labels = Labels.of("environment", id.environment(), "service", id.service());
    }

    void maxAt(long slot, double seconds) {
      rotate(slot);
      max = Math.max(max, seconds);
    }

    void rotate(long slot) {
      if (slot != maxSlot) {
        previousMax = slot == maxSlot + 1 ? max : 0;
        max = 0;
        maxSlot = slot;
      }
    }
  }

  /**
   * @param bounds the probe duration histogram's upper bounds, ascending (+Inf added)
   * @param millis the wall clock in milliseconds, for the time-window max
   */
  TargetSeries(Duration[] bounds, LongSupplier millis) {
    this.bounds = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      this.bounds[i] = bounds[i].toNanos() / 1e9;
    }
    this.millis = millis;
  }

  /** Records one finished poll of {@code id}; its series appear with its first poll. */
  void record(TargetId id, Verdict verdict, boolean signed, boolean responded, double score, Duration duration,
      boolean attesterRestart) {
    Series s = series.computeIfAbsent(id, Series::new);
    double seconds = duration.toNanos() / 1e9;
    long slot = millis.getAsLong() / MAX_SLOT_MILLIS;
    synchronized (s) {
      s.hashValid = verdict == Verdict.COMPLIANT;
      s.signed = signed;
      s.up = responded;
      s.score = score;
      s.checks[verdict.ordinal()]++;
      if (attesterRestart) {
        s.restarts++;
        s.restartSeen = true;
      }
      int b = 0;
      while (b < bounds.length && seconds > bounds[b]) {
        b++;
      }
      if (b < bounds.length) {
        s.buckets[b]++;
      }
      s.count++;
      s.sumNanos += duration.toNanos();
      s.maxAt(slot, seconds);
    }
  }

  /** Drops the series of every target not in {@code keep}. */
  void retain(Set<TargetId> keep) {
    series.keySet().retainAll(keep);
  }

  /**
   * {@code constitutional_tls_verification_relaxed}: a series for every target in {@code all} at
   * once (not with its first poll), 1 for those in {@code relaxed}.
   */
  void setTlsRelaxed(java.util.Collection<TargetId> all, Set<TargetId> relaxed) {
    Map<TargetId, Boolean> m = new java.util.HashMap<>();
    for (TargetId id : all) {
      m.put(id, relaxed.contains(id));
    }
    tlsRelaxed = Map.copyOf(m);
  }

  /** Targets with series. */
  int size() {
    return series.size();
  }

  @Override
  public MetricSnapshots collect() {
    GaugeSnapshot.Builder hash = GaugeSnapshot.builder().name("constitutional_hash_valid")
        .help("1 if the last verdict was compliant, else 0");
    GaugeSnapshot.Builder score = GaugeSnapshot.builder().name("constitutional_compliance_score")
        .help("Share of compliant polls in the scoring window, 0..1");
    GaugeSnapshot.Builder signed = GaugeSnapshot.builder().name("constitutional_attestation_signed")
        .help("1 if the last verdict came from a verified signature");
    GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("constitutional_target_up")
        .help("1 if the last poll got an HTTP response");
    CounterSnapshot.Builder checks = CounterSnapshot.builder().name("constitutional_attestation_checks")
        .help("Finished polls by verdict");
    CounterSnapshot.Builder restarts = CounterSnapshot.builder().name("constitutional_attester_restarts")
        .help("A target's sequence stepped back once (attester restart)");
    HistogramSnapshot.Builder probe = HistogramSnapshot.builder().name("constitutional_probe_duration_seconds")
        .help("Time of one poll, request to verdict");
    GaugeSnapshot.Builder probeMax = GaugeSnapshot.builder().name("constitutional_probe_duration_seconds_max")
        .help("Time of one poll, request to verdict");
    long slot = millis.getAsLong() / MAX_SLOT_MILLIS;
    double[] upper = new double[bounds.length + 1];
    System.arraycopy(bounds, 0, upper, 0, bounds.length);
    upper[bounds.length] = Double.POSITIVE_INFINITY;
    boolean any = false;
    boolean anyRestart = false;
    for (Series s : series.values()) {
      any = true;
      synchronized (s) {
        hash.dataPoint(gauge(s.labels, s.hashValid ? 1 : 0));
        score.dataPoint(gauge(s.labels, s.score));
        signed.dataPoint(gauge(s.labels, s.signed ? 1 : 0));
        up.dataPoint(gauge(s.labels, s.up ? 1 : 0));
        for (int v = 0; v < s.checks.length; v++) {
          if (s.checks[v] > 0) {
            checks.dataPoint(CounterDataPointSnapshot.builder()
                .labels(s.labels.add("result", VERDICTS[v].label())).value(s.checks[v]).build());
          }
        }
        if (s.restartSeen) {
          anyRestart = true;
          restarts.dataPoint(CounterDataPointSnapshot.builder().labels(s.labels).value(s.restarts).build());
        }
        long[] perBucket = new long[upper.length];
        long finite = 0;
        for (int b = 0; b < s.buckets.length; b++) {
          perBucket[b] = s.buckets[b];
          finite += s.buckets[b];
        }
        perBucket[upper.length - 1] = s.count - finite;
        probe.dataPoint(HistogramDataPointSnapshot.builder().labels(s.labels)
            .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, perBucket)).sum(s.sumNanos / 1e9).build());
        s.rotate(slot);
        probeMax.dataPoint(gauge(s.labels, Math.max(s.max, s.previousMax)));
      }
    }
    List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out = new ArrayList<>();
    if (any) {
      out.addAll(List.of(hash.build(), score.build(), signed.build(), up.build(), checks.build(), probe.build(),
          probeMax.build()));
    }
    if (anyRestart) {
      out.add(restarts.build());
    }
    Map<TargetId, Boolean> tls = tlsRelaxed;
    if (!tls.isEmpty()) {
      GaugeSnapshot.Builder relaxed = GaugeSnapshot.builder().name("constitutional_tls_verification_relaxed")
          .help("1 where the target's TLS verification was weakened by configuration (e.g. verifyHostname: false)");
      tls.forEach((id, r) -> relaxed.dataPoint(gauge(Labels.of("environment", id.environment(), "service",
          id.service()), r ? 1 : 0)));
      out.add(relaxed.build());
    }
    return new MetricSnapshots(out);
  }

  private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
