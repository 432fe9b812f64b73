package dev.vigil.bench;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.events.EmbeddedKafka;
import dev.vigil.score.TargetId;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A group of monitors measured on real parts: an embedded Kafka broker and the simulator in this
 * JVM, each monitor a {@code vigil monitor} child JVM of one configuration. Phases: one instance
 * without a group over every target (the baseline CPU per 1,000 polls); N instances in a group
 * (their total CPU per 1,000 polls, polls per target per interval); {@code kill -9} of one (the
 * handover time of its targets, polls duplicated or missed meanwhile); one more joining (the same).
 * Polls are counted at the simulator ({@link PollLedger}); CPU is each child's own. Not
 * thread-safe: one run at a time.
 */
public final class GroupBenchmark {
  /** Polls counted at the simulator in a window (see {@link PollLedger#stats}). */
  public record Counts(long polls, double perIntervalMin, double perIntervalMean, double perIntervalMax, long duplicates,
      long missed, long maxGapMs) {}

  /** Figures of one phase. */
  public record Window(String name, Duration length, long polls, Counts stats) {}

  /** The measured figures. */
  public record Result(double singleCpuPer1000, double groupCpuPer1000, Window steady, long handoverMs, int moved,
      Window kill, long joinOwnsMs, Window join, double singleJitPer1000, double groupJitPer1000) {
    /** The group's extra CPU per poll over one instance, as a fraction. */
    public double overhead() {
      return groupCpuPer1000 / singleCpuPer1000 - 1;
    }

    /**
     * As {@link #overhead()} leaving out the JIT compiler threads' CPU: every JVM compiles the same
     * code once, so a group of N pays it N times over its first minutes; NaN when not measured.
     */
    public double overheadWithoutJit() {
      return (groupCpuPer1000 - groupJitPer1000) / (singleCpuPer1000 - singleJitPer1000) - 1;
    }
  }

  private final int monitors;
  private final int targets;
  private final Duration interval;
  private final Duration duration;
  private final Duration session;
  private final int shards;
  private Duration warmup = Duration.ZERO;

  /** Warms every phase up for {@code extra} more after every target was polled twice and one interval. */
  public GroupBenchmark warmup(Duration extra) {
    this.warmup = extra;
    return this;
  }

  public GroupBenchmark(int monitors, int targets, Duration interval, Duration duration, Duration session, int shards) {
    this.monitors = monitors;
    this.targets = targets;
    this.interval = interval;
    this.duration = duration;
    this.session = session;
    this.shards = shards;
  }

  public Result run(PrintWriter log) throws Exception {
    Path dir = Files.createTempDirectory("vigil-bench-group");
    Vertx vertx = Vertx.vertx();
    List<GroupProcess> running = new ArrayList<>();
    PollLedger ledger = null;
    try (EmbeddedKafka kafka = EmbeddedKafka.create().start()) {
      FleetSimulator sim = vertx.executeBlocking(() -> null).compose(v -> FleetSimulator.start(vertx,
          SimulatorOptions.defaults().withGenerated(targets, 8).withEnvironments(List.of("green")).withBasePort(0)
              .withAdminPort(0))).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      try {
        sim.writePublicKeys(dir);
        Files.writeString(dir.resolve("event.key.pem"), Keys.generate(Scheme.ED25519, new SecureRandom()).privatePem());
        Path single = Files.writeString(dir.resolve("single.yaml"), config(sim, kafka.bootstrapServers(), false));
        Path group = Files.writeString(dir.resolve("group.yaml"), config(sim, kafka.bootstrapServers(), true));
        ledger = new PollLedger(sim);
        log.printf(Locale.ROOT, "broker %s, simulator with %d targets in this JVM; work dir %s%n",
            kafka.bootstrapServers(), targets, dir);
        log.flush();

        // 1. one instance, no group
        GroupProcess one = GroupProcess.start(dir, single, "single");
        running.add(one);
        warmUp(ledger, List.of(one));
        Measured alone = measureCpu(ledger, List.of(one), log, "one instance, no group");
        double singleCpu = alone.cpuPer1000;
        one.stop();
        running.remove(one);

        // 2. N instances in a group: steady state
        List<java.util.concurrent.CompletableFuture<GroupProcess>> starting = new ArrayList<>();
        for (int i = 0; i < monitors; i++) {
          String name = "m" + i;
          starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
              return GroupProcess.start(dir, group, name);
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          }));
        }
        List<GroupProcess> group0 = new ArrayList<>();
        Exception failed = null;
        for (var f : starting) {
          try {
            GroupProcess p = f.get();
            group0.add(p);
            running.add(p); // killed at the end even when another did not start
          } catch (java.util.concurrent.ExecutionException e) {
            failed = failed == null ? e : failed;
          }
        }
        if (failed != null) {
          throw failed;
        }
        awaitSplit(group0, Duration.ofMinutes(3));
        warmUp(ledger, group0);
        Measured steady = measureCpu(ledger, group0, log, monitors + " instances in a group");

        // 3. kill -9 one instance
        GroupProcess victim = group0.get(0);
        List<TargetId> moved = victim.targets();
        long killed = System.nanoTime();
        victim.kill();
        running.remove(victim);
        List<GroupProcess> survivors = new ArrayList<>(group0.subList(1, group0.size()));
        long handoverMs = ledger.awaitPolledAfter(moved, killed, session.plus(interval).multipliedBy(6));
        sleep(interval.multipliedBy(3));
        Window kill = window("kill -9", ledger, killed, System.nanoTime());
        awaitSplit(survivors, Duration.ofMinutes(2));

        // 4. one more joins
        long joined = System.nanoTime();
        GroupProcess newcomer = GroupProcess.start(dir, group, "m" + monitors);
        running.add(newcomer);
        survivors.add(newcomer);
        awaitSplit(survivors, Duration.ofMinutes(3));
        long owns = (System.nanoTime() - joined) / 1_000_000;
        sleep(interval.multipliedBy(3));
        Window join = window("join", ledger, joined, System.nanoTime());
        return new Result(singleCpu, steady.cpuPer1000, steady.window, handoverMs, moved.size(), kill, owns, join,
            alone.jitPer1000, steady.jitPer1000);
      } finally {
        if (ledger != null) {
          ledger.close();
        }
        for (GroupProcess p : running) {
          p.kill();
        }
        sim.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private record Measured(double cpuPer1000, Window window, double jitPer1000) {}

  /** Until every target was polled twice, then one interval more. */
  private void warmUp(PollLedger ledger, List<GroupProcess> ps) throws Exception {
    long from = System.nanoTime();
    long deadline = from + Duration.ofMinutes(5).toNanos();
    while (!ledger.allPolledSince(from, 2)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("not every target was polled twice within 5 minutes of the start; logs in "
            + ps.get(0).log().getParent());
      }
      sleep(Duration.ofMillis(200));
    }
    sleep(interval.plus(warmup));
  }

  private Measured measureCpu(PollLedger ledger, List<GroupProcess> ps, PrintWriter log, String what) throws Exception {
    long cpu0 = 0;
    long jit0 = 0;
    for (GroupProcess p : ps) {
      cpu0 += p.cpuNanos();
      jit0 += p.jitNanos();
    }
    long t0 = System.nanoTime();
    sleep(duration);
    long t1 = System.nanoTime();
    long cpu1 = 0;
    long jit1 = 0;
    for (GroupProcess p : ps) {
      cpu1 += p.cpuNanos();
      jit1 += p.jitNanos();
    }
    Window w = window(what, ledger, t0, t1);
    double per1000 = w.polls() == 0 ? Double.NaN : (cpu1 - cpu0) / 1e9 / w.polls() * 1000;
    double jitPer1000 = w.polls() == 0 || jit0 < 0 || jit1 < 0 ? Double.NaN : (jit1 - jit0) / 1e9 / w.polls() * 1000;
    log.printf(Locale.ROOT, "%s: %d polls in %.1f s, %.3f CPU s per 1,000 polls (all its processes; %.3f s of it JIT"
        + " compilation)%n", what, w.polls(), (t1 - t0) / 1e9, per1000, jitPer1000);
    log.flush();
    return new Measured(per1000, w, jitPer1000);
  }

  private Window window(String name, PollLedger ledger, long from, long to) {
    Counts s = ledger.stats(from, to, interval);
    return new Window(name, Duration.ofNanos(to - from), s.polls(), s);
  }

  /** Until the instances' shards are disjoint and cover every shard. */
  private void awaitSplit(List<GroupProcess> ps, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      List<Integer> all = new ArrayList<>();
      boolean everyOne = true;
      for (GroupProcess p : ps) {
        List<Integer> owned;
        try {
          owned = p.shards();
        } catch (IOException e) { // an API slow to answer on a loaded machine: ask again
          owned = List.of();
        }
        everyOne &= !owned.isEmpty();
        all.addAll(owned);
      }
      if (everyOne && all.size() == shards && all.stream().distinct().count() == shards) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the group did not settle within " + within + " (shards " + all + "); logs in "
            + ps.get(0).log().getParent());
      }
      sleep(Duration.ofMillis(200));
    }
  }

  private String config(FleetSimulator sim, String bootstrap, boolean group) {
    StringBuilder y = new StringBuilder(256 + targets * 160)
        .append("monitorId: '${MONITOR_ID}'\nserver: {host: 127.0.0.1, port: 0}\n")
        .append("polling: {interval: ").append(interval.toMillis()).append("ms, timeout: 5s, retries: 0}\n")
        .append("rules: {compliance_score: {enabled: false}}\n")
        .append("kafka: {bootstrapServers: '").append(bootstrap).append("'}\n")
        .append("events: {outboxDir: 'outbox-${MONITOR_ID}', signingKey: event.key.pem}\n");
    if (group) {
      y.append("group: {name: bench, shards: ").append(shards).append(", sessionTimeout: ").append(session.toMillis())
          .append("ms, heartbeatInterval: ").append(Math.max(100, session.toMillis() / 6)).append("ms}\n");
    }
    y.append("targets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: '").append(sim.baseUrl(t)).append("', keys: [{file: ").append(t.service()).append('-')
          .append(t.environment()).append(".pub.pem}]}\n");
    }
    return y.toString();
  }

  static void sleep(Duration d) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(d.toNanos());
  }
}
