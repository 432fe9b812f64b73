package dev.vigil.cli;

import dev.vigil.bench.GroupBenchmark;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil bench group}. */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = {
        "A group of monitors on an embedded broker and the simulator (this JVM), each monitor a child JVM:",
        "one instance without a group (baseline CPU per 1,000 polls), then N in a group (their total CPU per",
        "1,000 polls, polls per target per interval), kill -9 of one (handover time, polls duplicated or",
        "missed), one more joining (the same). Polls are counted at the simulator."
    })
final class BenchGroupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--monitors", paramLabel = "N", defaultValue = "3", description = "Instances in the group (default: ${DEFAULT-VALUE}).")
  int monitors;

  @Option(names = "--targets", paramLabel = "N", defaultValue = "600", description = "Targets (default: ${DEFAULT-VALUE}).")
  int targets;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = Converters.HumanDuration.class,
      description = "Poll interval (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = Converters.HumanDuration.class,
      description = "Measured time of the CPU phases (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Converters.HumanDuration.class, description = "group.sessionTimeout (default: ${DEFAULT-VALUE}).")
  Duration session;

  @Option(names = "--shards", paramLabel = "N", defaultValue = "64", description = "group.shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s", converter = Converters.HumanDuration.class,
      description = {"More warm-up before each CPU phase, after every target was polled twice and one interval",
          "(default: ${DEFAULT-VALUE}); the JIT compiles for minutes: 120s gives a steady-state comparison."})
  Duration warmup;

  @Override
  public Integer call() throws Exception {
    if (monitors < 2 || targets < 1 || shards < monitors + 1 || interval.isZero() || duration.isZero()) {
      throw new Main.InputException("--monitors must be at least 2, --shards more than --monitors, --targets,"
          + " --interval and --duration positive");
    }
    if (warmup.isNegative()) {
      throw new Main.InputException("--warmup must not be negative");
    }
    if (session.compareTo(Duration.ofSeconds(6)) < 0) {
      throw new Main.InputException("--session-timeout must be at least 6s (the broker's group.min.session.timeout.ms)");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "vigil bench group: %d monitors, %d targets every %s, %d shards, session timeout %s,"
        + " measured %s, %d cores, Java %s%n", monitors, targets, interval, shards, session, duration,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    out.flush();
    GroupBenchmark.Result r = new GroupBenchmark(monitors, targets, interval, duration, session, shards).warmup(warmup).run(out);
    out.printf(Locale.ROOT, "CPU per 1,000 polls  one instance %.3f s, the group of %d %.3f s: coordination %+.1f %%"
        + " (JIT compilation left out: %.3f s, %.3f s, %+.1f %%)%n", r.singleCpuPer1000(), monitors, r.groupCpuPer1000(),
        100 * r.overhead(), r.singleCpuPer1000() - r.singleJitPer1000(), r.groupCpuPer1000() - r.groupJitPer1000(),
        100 * r.overheadWithoutJit());
    row(out, r.steady());
    out.printf(Locale.ROOT, "kill -9              %d targets moved; the last polled again %d ms after the kill"
        + " (session timeout + interval = %d ms)%n", r.moved(), r.handoverMs(), session.plus(interval).toMillis());
    row(out, r.kill());
    out.printf(Locale.ROOT, "join                 the newcomer owns shards and the split settled %d ms after it"
        + " started%n", r.joinOwnsMs());
    row(out, r.join());
    out.flush();
    return 0;
  }

  private static void row(PrintWriter out, GroupBenchmark.Window w) {
    var s = w.stats();
    out.printf(Locale.ROOT, "  %-18s %.1f s: %d polls; per target per interval min %.2f mean %.2f max %.2f;"
        + " duplicated %d, missed %d; longest gap %d ms%n", w.name(), w.length().toMillis() / 1000.0, w.polls(),
        s.perIntervalMin(), s.perIntervalMean(), s.perIntervalMax(), s.duplicates(), s.missed(), s.maxGapMs());
  }
}
