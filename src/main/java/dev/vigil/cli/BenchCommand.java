package dev.vigil.cli;

import dev.vigil.attest.Scheme;
import dev.vigil.bench.EventsBenchmark;
import dev.vigil.bench.VerifyBenchmark;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil bench}: benchmarks that print their figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark and print its figures.",
    subcommands = {BenchCommand.Verify.class, BenchCommand.Fleet.class, BenchCommand.Events.class,
        BenchCommand.Rollbacks.class, BenchEvidenceCommand.class, BenchGroupCommand.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code vigil bench verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
          "Measure the whole verify() (parse, signature, statement checks) per scheme on one thread,",
          "beside the bare Bouncy Castle signature check of the same bytes."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--scheme", paramLabel = "SCHEME", split = ",", converter = Converters.SchemeName.class,
        description = "Schemes to measure, comma-separated (default: all three).")
    List<Scheme> schemes = Arrays.asList(Scheme.values());

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "3s", converter = Converters.HumanDuration.class,
        description = "Warm-up per scheme and variant (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--round", paramLabel = "DURATION", defaultValue = "2s", converter = Converters.HumanDuration.class,
        description = "Length of one measured round (default: ${DEFAULT-VALUE}).")
    Duration round;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--worst-case", description = {"Instead, time one hostile envelope (full body, 8 untrusted",
        "signatures, as many trusted keys as maxSignatureChecks allows) at the default and the maximum limits."})
    boolean worstCase;

    @Override
    public Integer call() {
      if (rounds < 1) {
        throw new Main.InputException("--rounds must be at least 1");
      }
      if (worstCase) {
        return worstCase(spec.commandLine().getOut());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "vigil bench verify: 1 thread, warm-up %s, %d rounds of %s, Java %s%n",
          warmup, rounds, round, System.getProperty("java.version"));
      out.printf(Locale.ROOT, "%-20s %14s %10s %16s %10s %9s%n",
          "scheme", "verify() op/s", "µs/op", "signature op/s", "µs/op", "overhead");
      VerifyBenchmark bench = new VerifyBenchmark(warmup, round, rounds);
      for (Scheme s : schemes) {
        VerifyBenchmark.Result r = bench.run(s);
        out.printf(Locale.ROOT, "%-20s %14.0f %10.1f %16.0f %10.1f %8.1f%%%n",
            s.wireName(), r.fullMedian(), 1e6 / r.fullMedian(), r.rawMedian(), 1e6 / r.rawMedian(),
            100 * r.overhead());
        out.printf(Locale.ROOT, "  rounds verify(): %s%n", format(r.fullOpsPerSec()));
        out.flush();
      }
      return 0;
    }

    private int worstCase(PrintWriter out) {
      out.printf(Locale.ROOT, "vigil bench verify --worst-case: 1 thread, median and max of %d runs, Java %s%n",
          rounds, System.getProperty("java.version"));
      out.printf(Locale.ROOT, "%-20s %-9s %10s %5s %5s %11s %9s%n",
          "scheme", "limits", "body bytes", "sigs", "keys", "median ms", "max ms");
      dev.vigil.bench.VerifyWorstCase bench = new dev.vigil.bench.VerifyWorstCase(rounds);
      for (Scheme s : schemes) {
        for (boolean max : new boolean[] {false, true}) {
          dev.vigil.bench.VerifyWorstCase.Result r = bench.run(s,
              max ? 16 * 1024 * 1024 : dev.vigil.attest.Verifier.DEFAULT_MAX_BYTES,
              dev.vigil.attest.Verifier.DEFAULT_MAX_SIGNATURES,
              max ? dev.vigil.attest.Verifier.MAX_SIGNATURE_CHECKS : dev.vigil.attest.Verifier.DEFAULT_MAX_SIGNATURE_CHECKS);
          out.printf(Locale.ROOT, "%-20s %-9s %10d %5d %5d %11.1f %9.1f%n", s.wireName(), max ? "maximum" : "default",
              r.bodyBytes(), r.signatures(), r.keys(), r.medianMs(), r.maxMs());
          out.flush();
        }
      }
      return 0;
    }

    private static String format(double[] xs) {
      StringBuilder b = new StringBuilder();
      for (double x : xs) {
        b.append(String.format(Locale.ROOT, "%.0f ", x));
      }
      return b.toString().trim();
    }
  }

  /** {@code vigil bench fleet}. */
  @Command(
      name = "fleet",
      mixinStandardHelpOptions = true,
      description = {
          "Run a simulator (a child JVM) and a monitor (this JVM) over N targets and print polls per second,",
          "the monitor's CPU seconds per 1,000 verified polls, poll lag p50/p99/max, heap and RSS; with",
          "--blackholes, beside targets that never answer (the lag figures are then the healthy targets')."
      })
  static final class Fleet implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--targets", paramLabel = "N", defaultValue = "1000", description = "Targets to poll (default: ${DEFAULT-VALUE}).")
    int targets;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30s", converter = Converters.HumanDuration.class,
        description = "Poll interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = Converters.HumanDuration.class,
        description = "Measured time, after the warm-up (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "256",
        description = "Polls in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = Converters.HumanDuration.class,
        description = {"Warm-up before the measured time (default: one interval and 2 s). The JIT compiles for",
            "minutes at a few hundred polls a second: give 120s or more for a steady-state figure."})
    Duration warmup;

    @Option(names = "--evidence-sample", paramLabel = "DURATION", converter = Converters.HumanDuration.class,
        description = {"Also record the evidence log (in a temporary directory) with one sample per target per",
            "DURATION (the default configuration samples every 1h; the poll interval samples every poll)."})
    Duration evidenceSample;

    @Option(names = "--heap-every", paramLabel = "DURATION", converter = Converters.HumanDuration.class,
        description = {"Also print the heap used after a full GC every DURATION of the measured time (does a",
            "steady fleet's heap grow?); the GCs count in the CPU figure."})
    Duration heapEvery;

    @Option(names = "--legacy", description = {"Poll the targets as legacy ones (GET /health and /health/constitutional,",
        "no signature) instead of asking for signed attestations: the unsigned path's cost."})
    boolean legacy;

    @Option(names = "--blackholes", paramLabel = "N", defaultValue = "0",
        description = {"Also poll N targets on 127.0.0.1 that never answer (half accept and stay silent, half never",
            "accept), with the reference timeout and retries; the lag figures are then the healthy targets' (default: ${DEFAULT-VALUE})."})
    int blackholes;

    @Override
    public Integer call() throws Exception {
      if (targets < 1 || concurrency < 1 || interval.isZero() || duration.isZero()) {
        throw new Main.InputException("--targets, --concurrency, --interval and --duration must be positive");
      }
      if (blackholes < 0) {
        throw new Main.InputException("--blackholes must be 0 or more");
      }
      if (evidenceSample != null && (evidenceSample.isNegative() || evidenceSample.isZero())) {
        throw new Main.InputException("--evidence-sample must be positive");
      }
      if (warmup != null && warmup.isNegative()) {
        throw new Main.InputException("--warmup must not be negative");
      }
      if (heapEvery != null && (heapEvery.isNegative() || heapEvery.isZero())) {
        throw new Main.InputException("--heap-every must be positive");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "vigil bench fleet: %d %stargets every %s, measured for %s after %s of warm-up, %d cores%n",
          targets, legacy ? "legacy " : "", interval, duration, warmup == null ? "one interval and 2 s" : warmup,
          Runtime.getRuntime().availableProcessors());
      out.flush();
      dev.vigil.bench.FleetBenchmark.Result r =
          new dev.vigil.bench.FleetBenchmark(targets, interval, duration, concurrency, blackholes).warmup(warmup).evidence(evidenceSample).legacy(legacy).heapEvery(heapEvery).run(out);
      out.printf(Locale.ROOT, "polls              %d in %.1f s (%d compliant)%n", r.polls(), r.measured().toMillis() / 1000.0, r.compliant());
      out.printf(Locale.ROOT, "polls per second   %.1f (schedule asks %.1f)%n", r.pollsPerSecond(), targets / (interval.toMillis() / 1000.0));
      out.printf(Locale.ROOT, "monitor CPU        %.3f s per 1,000 %s polls%s%n", r.cpuSecondsPer1000(),
          legacy ? "legacy" : "verified",
          Double.isNaN(r.jitSecondsPer1000()) ? "" : String.format(Locale.ROOT, " (%.3f s of it JIT compilation)", r.jitSecondsPer1000()));
      out.printf(Locale.ROOT, "poll lag           p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n", r.lagP50Ms(), r.lagP99Ms(),
          r.lagMaxMs(), r.lagSamples());
      out.printf(Locale.ROOT, "monitor memory     heap %d MB after GC, RSS %d MB%n", r.heapUsedMb(), r.rssMb());
      if (r.blackholes() > 0) {
        out.printf(Locale.ROOT, "blackholes         %d targets: first round %.1f s, %d polls while measured%n", r.blackholes(),
            r.firstRound().toMillis() / 1000.0, r.blackholePolls());
      }
      out.flush();
      return 0;
    }
  }

  /** {@code vigil bench events}. */
  @Command(
      name = "events",
      mixinStandardHelpOptions = true,
      description = {
          "Measure breach detected -> acknowledged by Kafka: sign, outbox append with fsync, send with",
          "acks=all, outbox marked done; one event at a time. Uses an embedded broker unless --bootstrap."
      })
  static final class Events implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "2000", description = "Measured events (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "300", description = "Warm-up events (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "An existing broker (default: an embedded one).")
    String bootstrap;

    @Option(names = "--outbox-dir", paramLabel = "DIR", description = "Outbox directory (default: a new temporary one).")
    Path outboxDir;

    @Override
    public Integer call() throws Exception {
      if (events < 1 || warmup < 0) {
        throw new Main.InputException("--events must be at least 1 and --warmup at least 0");
      }
      Path dir = outboxDir != null ? outboxDir : EventsBenchmark.tempDir();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "vigil bench events: %d events after %d warm-up, one at a time, broker %s, outbox %s, Java %s%n",
          events, warmup, bootstrap == null ? "embedded" : bootstrap, dir, System.getProperty("java.version"));
      out.flush();
      EventsBenchmark.Result r = new EventsBenchmark(warmup, events).run(bootstrap, dir);
      out.printf(Locale.ROOT, "%-40s %9s %9s %9s %9s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
      row(out, "detected -> durable (sign, append, fsync)", r.durableMicros());
      row(out, "detected -> acknowledged by Kafka", r.endToEndMicros());
      return 0;
    }

    private static void row(PrintWriter out, String name, long[] sorted) {
      out.printf(Locale.ROOT, "%-40s %9.2f %9.2f %9.2f %9.2f%n", name,
          EventsBenchmark.Result.percentile(sorted, 50) / 1000.0, EventsBenchmark.Result.percentile(sorted, 90) / 1000.0,
          EventsBenchmark.Result.percentile(sorted, 99) / 1000.0, sorted[sorted.length - 1] / 1000.0);
    }
  }

  /** {@code vigil bench rollbacks}. */
  @Command(
      name = "rollbacks",
      mixinStandardHelpOptions = true,
      description = {
          "The rollback controller's throughput on a burst of breach events against an embedded broker:",
          "N services x M deliveries of the same event; 3 services rolled back (blue validated), the",
          "guards skip the others (warnings), the rest are duplicates. Events/s from controller start to",
          "every offset committed."
      })
  static final class Rollbacks implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--services", paramLabel = "N", defaultValue = "100", description = "Services (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--deliveries", paramLabel = "M", defaultValue = "100",
        description = "Deliveries of each service's event (default: ${DEFAULT-VALUE}).")
    int deliveries;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "8",
        description = "Partitions of the breaches topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
      if (services < 3 || deliveries < 1 || partitions < 1) {
        throw new Main.InputException("--services must be at least 3, --deliveries and --partitions at least 1");
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "vigil bench rollbacks: %d services x %d deliveries = %d breach events, %d partitions,"
          + " embedded broker, Java %s%n", services, deliveries, services * deliveries, partitions,
          System.getProperty("java.version"));
      out.flush();
      dev.vigil.bench.RollbacksBenchmark.Result r =
          new dev.vigil.bench.RollbacksBenchmark(services, deliveries, partitions).run();
      out.printf(Locale.ROOT, "%d events handled and committed in %.2f s: %.0f events/s%n", r.events(), r.seconds(),
          r.perSecond());
      out.printf(Locale.ROOT, "partitions assigned after %.2f s, first outcome after %.2f s: %.0f events/s once assigned%n",
          r.assignedAfter(), r.firstOutcomeAfter(), r.perSecondOnceAssigned());
      out.printf(Locale.ROOT, "process CPU meanwhile (controller, broker, simulator): %.2f s; load average %.2f%n",
          r.cpuSeconds(), r.loadAverage());
      r.outcomes().forEach((k, v) -> out.printf(Locale.ROOT, "  %-28s %6d%n", k, v));
      r.rollbacks().forEach(line -> out.printf(Locale.ROOT, "  rollback: %s%n", line));
      return 0;
    }
  }
}
