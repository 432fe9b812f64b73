package dev.vigil.bench;

import dev.vigil.attest.Keys;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verdict;
import dev.vigil.config.KeyConfig;
import dev.vigil.config.PolicyConfig;
import dev.vigil.config.PollingConfig;
import dev.vigil.config.ScoringConfig;
import dev.vigil.config.ServerConfig;
import dev.vigil.config.TargetConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.monitor.MonitorBuilder;
import dev.vigil.monitor.MonitorListener;
import dev.vigil.monitor.MonitorMetrics;
import dev.vigil.monitor.MonitorVerticle;
import dev.vigil.poll.PollResult;
import dev.vigil.score.Rule;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a simulator (a child JVM: {@code vigil simulate --services N}) and a monitor (this JVM) over
 * N targets and measures what the monitor achieves: polls per second, its CPU seconds per 1,000
 * verified polls, poll lag percentiles, heap and RSS. The simulator shares the machine, as it
 * would in a test lab. Not thread-safe: one run at a time.
 */
public final class FleetBenchmark {
  /** The measured figures. */
  public record Result(int targets, Duration interval, Duration measured, long polls, long compliant,
      double pollsPerSecond, double cpuSecondsPer1000, double lagP50Ms, double lagP99Ms, double lagMaxMs,
      long heapUsedMb, long rssMb, int lagSamples, int blackholes, long blackholePolls, Duration firstRound,
      double jitSecondsPer1000) {}

  private final int targets;
  private final Duration interval;
  private final Duration duration;
  private final int concurrency;
  private final int blackholes;
  private Duration warmup;
  private Duration evidenceSample;
  private boolean legacy;
  private Duration heapEvery;

  public FleetBenchmark(int targets, Duration interval, Duration duration, int concurrency) {
    this(targets, interval, duration, concurrency, 0);
  }

  /**
   * Records evidence (issue 13's log, in a temporary directory, checkpoints unsigned) with one sample
   * per target per {@code sampleInterval}; null: no evidence log, as before.
   */
  public FleetBenchmark evidence(Duration sampleInterval) {
    this.evidenceSample = sampleInterval;
    return this;
  }

  /**
   * Polls the targets as legacy ones ({@code GET /health} and {@code /health/constitutional}, no
   * signature, a policy that does not require one) instead of asking for a signed attestation: the
   * cost of the unsigned path.
   */
  public FleetBenchmark legacy(boolean legacyHealth) {
    this.legacy = legacyHealth;
    return this;
  }

  /**
   * Also prints the heap used after a full GC every {@code every} of the measured time (null: only
   * at the end), to show whether a steady fleet's heap grows. Each sample's GC is in the CPU figure.
   */
  public FleetBenchmark heapEvery(Duration every) {
    this.heapEvery = every;
    return this;
  }

  /** Warms up for {@code warmup} instead of one interval and 2 s (null: that default). */
  public FleetBenchmark warmup(Duration warmup) {
    this.warmup = warmup;
    return this;
  }

  /**
   * With {@code blackholes} more targets on 127.0.0.1 that never answer (half accept and stay
   * silent, half never accept; a second child JVM, {@link dev.vigil.sim.Blackholes}), polled with the
   * reference timeout and retries. Warm-up then lasts until each was polled once, and the lag
   * figures are those of the healthy targets (a silent target's polls report no lag).
   */
  public FleetBenchmark(int targets, Duration interval, Duration duration, int concurrency, int blackholes) {
    this.targets = targets;
    this.interval = interval;
    this.duration = duration;
    this.concurrency = concurrency;
    this.blackholes = blackholes;
  }

  public Result run(java.io.PrintWriter log) throws Exception {
    Path keys = Files.createTempDirectory("vigil-bench-keys");
    int services = (targets + 1) / 2;
    List<String> cmd = List.of(javaBinary(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        "dev.vigil.cli.Main", "simulate", "--services", Integer.toString(services), "--base-port", "0",
        "--admin-port", "0", "--write-public-keys", keys.toString());
    Process sim = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Process holes = blackholes == 0 ? null : new ProcessBuilder(javaBinary(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), "dev.vigil.sim.Blackholes", Integer.toString(blackholes / 2),
        Integer.toString(blackholes - blackholes / 2)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Vertx vertx = Vertx.vertx();
    try {
      List<TargetConfig> list = new ArrayList<>(readTargets(sim, keys).subList(0, targets));
      log.printf("simulator ready: %d instances in a child JVM; polling %d of them%n", list.size(), targets);
      Set<dev.vigil.score.TargetId> holeIds = holes == null ? Set.of() : addBlackholes(holes, list);
      if (holes != null) {
        log.printf("blackholes ready: %d targets on 127.0.0.1 in a second child JVM%n", holeIds.size());
      }
      log.flush();
      PollingConfig ref = PollingConfig.defaults();
      VigilConfig config = new VigilConfig("bench", new ServerConfig("127.0.0.1", 0, null),
          new PollingConfig(interval, Duration.ofSeconds(5), holes == null ? 0 : ref.retries(), ref.retryBackoff(),
              concurrency, 1.0, 0.8, 3, 65_536),
          new ScoringConfig(Duration.ofSeconds(180)),
          legacy ? new PolicyConfig(PolicyConfig.defaults().expectedHash(), null, false, PolicyConfig.defaults().maxClockSkew())
              : PolicyConfig.defaults(), java.util.Map.of(), Rule.defaults(),
          list, dev.vigil.config.KafkaConfig.none("bench"),
          new dev.vigil.config.EventsConfig(Path.of(dev.vigil.config.EventsConfig.DEFAULT_OUTBOX_DIR),
              dev.vigil.config.EventsConfig.DEFAULT_OUTBOX_CAPACITY, null, null),
          dev.vigil.config.RollbackConfig.defaults(), dev.vigil.config.ControllerConfig.defaults());
      if (evidenceSample != null) {
        Path evidenceDir = Files.createTempDirectory("vigil-bench-evidence");
        config = config.withEvidence(new dev.vigil.config.EvidenceConfig(evidenceDir, evidenceSample,
            dev.vigil.config.EvidenceConfig.DEFAULT_FLUSH_INTERVAL, dev.vigil.config.EvidenceConfig.DEFAULT_CHECKPOINT_INTERVAL,
            dev.vigil.config.EvidenceConfig.DEFAULT_MAX_AGE, dev.vigil.config.EvidenceConfig.DEFAULT_MAX_BYTES));
        log.printf("evidence log in %s, one sample per target every %s%n", evidenceDir, evidenceSample);
      }
      MonitorMetrics metrics = new MonitorMetrics();
      AtomicLong polls = new AtomicLong();
      AtomicLong compliant = new AtomicLong();
      AtomicLong holePolls = new AtomicLong();
      Set<dev.vigil.score.TargetId> holesPolled = java.util.concurrent.ConcurrentHashMap.newKeySet();
      MonitorListener counter = new MonitorListener() {
        @Override
        public void onPoll(PollResult r, Verdict previous) {
          if (holeIds.contains(r.target())) {
            holePolls.incrementAndGet();
            holesPolled.add(r.target());
            return;
          }
          polls.incrementAndGet();
          if (r.verification().compliant()) {
            compliant.incrementAndGet();
          }
        }
      };
      MonitorVerticle verticle = MonitorBuilder.of(config).events(t -> { }).metrics(metrics).listener(counter).build();
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      long started = System.nanoTime();
      while (holesPolled.size() < holeIds.size()) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      Duration firstRound = Duration.ofNanos(System.nanoTime() - started);
      if (holes != null) {
        log.printf("every blackholed target polled once after %.1f s%n", firstRound.toMillis() / 1000.0);
        log.flush();
      }
      long warmupEnd = System.nanoTime() + (warmup != null ? warmup : interval.plusSeconds(2)).toNanos();
      while (System.nanoTime() < warmupEnd) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      long[] lags = new long[(int) Math.min(50_000_000L, (long) targets * (duration.toSeconds() / Math.max(1, interval.toSeconds()) + 2) * 2)];
      AtomicLong lagCount = new AtomicLong();
      metrics.tapLag(d -> {
        long i = lagCount.getAndIncrement();
        if (i < lags.length) {
          lags[(int) i] = d.toNanos();
        }
      });
      long polls0 = polls.get();
      long holes0 = holePolls.get();
      long ok0 = compliant.get();
      long cpu0 = processCpuNanos();
      long jit0 = JitCpu.nanos();
      long t0 = System.nanoTime();
      measure(t0, log);
      long t1 = System.nanoTime();
      long cpu1 = processCpuNanos();
      long jit1 = JitCpu.nanos();
      metrics.tapLag(null);
      long n = polls.get() - polls0;
      long ok = compliant.get() - ok0;
      int samples = (int) Math.min(lags.length, lagCount.get());
      long[] sorted = Arrays.copyOf(lags, samples);
      Arrays.sort(sorted);
      double seconds = (t1 - t0) / 1e9;
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
      vertx.undeploy(verticle.deploymentID()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      metrics.close();
      return new Result(targets, interval, Duration.ofNanos(t1 - t0), n, ok, n / seconds,
          n == 0 ? Double.NaN : (cpu1 - cpu0) / 1e9 / n * 1000, pct(sorted, 50), pct(sorted, 99),
          samples == 0 ? Double.NaN : sorted[samples - 1] / 1e6, heap, rssMb(), samples, holeIds.size(),
          holePolls.get() - holes0, firstRound, n == 0 || jit0 < 0 || jit1 < 0 ? Double.NaN : (jit1 - jit0) / 1e9 / n * 1000);
    } finally {
      sim.destroy();
      sim.waitFor(10, TimeUnit.SECONDS);
      if (holes != null) {
        holes.destroy();
        holes.waitFor(10, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Waits out the measured time from {@code t0}, printing the heap after a GC every {@link #heapEvery}. */
  private void measure(long t0, java.io.PrintWriter log) throws InterruptedException {
    long end = t0 + duration.toNanos();
    if (heapEvery == null) {
      TimeUnit.NANOSECONDS.sleep(end - System.nanoTime());
      return;
    }
    for (long next = t0 + heapEvery.toNanos(); next <= end; next += heapEvery.toNanos()) {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
      System.gc();
      log.printf(java.util.Locale.ROOT, "heap at +%4d s     %d MB after GC%n", (next - t0) / 1_000_000_000L,
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
      log.flush();
    }
    TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
  }

  private List<TargetConfig> readTargets(Process sim, Path keys) throws IOException, Keys.KeyException {
    BufferedReader r = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
    List<TargetConfig> out = new ArrayList<>();
    for (String line; (line = r.readLine()) != null; ) {
      if (line.startsWith("admin ")) {
        break;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        continue;
      }
      Keys.PublicKeyMaterial key = Keys.readPublic(Files.readString(keys.resolve(f[0] + "-" + f[1] + ".pub.pem")));
      TrustedKey trusted = TrustedKey.of(key).withScope(Set.of(f[0]));
      out.add(new TargetConfig(f[0], f[1], URI.create(f[2]), "/attestation",
          legacy ? TargetConfig.Mode.LEGACY_HEALTH : TargetConfig.Mode.ATTESTATION, interval,
          Duration.ofSeconds(5), 0, List.of(new KeyConfig("bench", trusted)), 1, null));
    }
    if (out.size() < targets) {
      throw new IOException("the simulator started " + out.size() + " instances, fewer than " + targets);
    }
    return out;
  }

  private Set<dev.vigil.score.TargetId> addBlackholes(Process holes, List<TargetConfig> list) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(holes.getInputStream(), StandardCharsets.UTF_8));
    List<KeyConfig> keys = list.get(0).keys();
    Set<dev.vigil.score.TargetId> ids = new java.util.HashSet<>();
    for (String line; (line = r.readLine()) != null && !line.equals("ready"); ) {
      if (line.startsWith("blackhole ")) {
        TargetConfig t = new TargetConfig("blackhole-" + ids.size(), "green", URI.create(line.substring(10)), "/attestation",
            TargetConfig.Mode.ATTESTATION, interval, Duration.ofSeconds(5), PollingConfig.defaults().retries(), keys, 1, null);
        list.add(t);
        ids.add(t.id());
      }
    }
    if (ids.size() < blackholes) {
      throw new IOException("the blackholes process opened " + ids.size() + " ports, fewer than " + blackholes);
    }
    return ids;
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
    return sorted[rank - 1] / 1e6;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
