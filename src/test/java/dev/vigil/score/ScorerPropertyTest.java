package dev.vigil.score;

import static dev.vigil.score.BreachTransition.Kind.OPENED;
import static dev.vigil.score.BreachTransition.Kind.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property: over random verdict sequences (with SLO reports, slow probes, partitions and target
 * reloads), for every (target, rule) the transitions alternate opened, resolved, opened, ...
 * starting with opened, each resolution closes the breach just opened, and what is left open is
 * exactly {@link Scorer#openBreaches()}.
 */
class ScorerPropertyTest {
  private static final int RUNS = 200;
  private static final int STEPS = 400;
  private static final Verdict[] VERDICTS = Verdict.values();
  private static final Set<String> SUSPENDED = Set.of("availability", "latency_p95");
  private static final Set<String> VERDICT_RULES = Set.of("hash_mismatch", "integrity");

  @Test
  void transitionsAlternateOpenedResolvedPerTargetAndRule() {
    Set<String> seen = new HashSet<>();
    for (long seed = 1; seed <= RUNS; seed++) {
      check(seed, seen);
    }
    assertThat(seen).as("the sequences exercise every rule both ways, and partitions")
        .contains("partitioned", "reload resolved")
        .containsAll(Rule.defaults().stream().map(x -> "opened " + x.name()).toList())
        .containsAll(Rule.defaults().stream().map(x -> "resolved " + x.name()).toList());
  }

  private static void check(long seed, Set<String> seen) {
    Random r = new Random(seed);
    List<TargetId> all = List.of(new TargetId("a", "green"), new TargetId("b", "green"), new TargetId("c", "green"),
        new TargetId("a", "blue"), new TargetId("b", "blue"));
    List<Rule> rules = new ArrayList<>();
    for (Rule d : Rule.defaults()) {
      rules.add(new Rule(d.name(), d.kind(), r.nextInt(8) != 0, d.threshold(), d.window(), 1 + r.nextInt(3),
          d.severity()));
    }
    Scorer s = new Scorer(rules, Duration.ofSeconds(180), 0.6, 3);
    Instant now = Instant.parse("2026-11-26T18:00:00Z");
    Set<TargetId> known = new HashSet<>(all);
    s.setTargets(known, now);

    Map<String, BreachTransition> lastByKey = new HashMap<>();
    Set<String> openedIds = new HashSet<>();
    boolean outage = false;
    for (int step = 0; step < STEPS; step++) {
      String at = "seed " + seed + " step " + step;
      now = now.plusSeconds(1 + r.nextInt(20));
      List<BreachTransition> ts;
      if (r.nextInt(60) == 0) {
        known = new HashSet<>(all.subList(0, 2 + r.nextInt(all.size() - 1)));
        ts = s.setTargets(known, now);
        require(ts.stream().allMatch(t -> t.kind() == RESOLVED), at, "a reload only resolves");
        if (!ts.isEmpty()) {
          seen.add("reload resolved");
        }
      } else {
        if (r.nextInt(25) == 0) {
          outage = !outage;
        }
        Observation o = randomObservation(r, all.get(r.nextInt(all.size())), now, outage);
        ts = s.observe(o, "cdd01ef066bc6cf2");
        if (!known.contains(o.target())) {
          require(ts.isEmpty(), at, "an unknown target's observation is ignored");
        } else {
          require(s.lastScore(o.target()).equals(s.score(o.target(), o.at())), at,
              "lastScore is the score at the observation's time");
        }
        assertOpenedBeforeResolved(ts, at);
        if (s.partitioned()) {
          seen.add("partitioned");
        }
        for (BreachTransition t : ts) {
          Breach b = t.breach();
          require(b.target().equals(o.target()), at, "a transition of the observed target");
          if (s.partitioned()) {
            require(!SUSPENDED.contains(b.rule()), at, b.rule() + " is suspended while partitioned");
          }
          if (t.kind() == OPENED) {
            require(b.openedAt().equals(o.at()), at, "openedAt is the observation's time");
            require(b.consecutiveFailures() >= rule(rules, b.rule()).consecutive(), at, "enough failures");
            require(!VERDICT_RULES.contains(b.rule()) || o.verdict().isIntegrity(), at,
                "only integrity verdicts open " + b.rule());
          }
        }
      }
      for (BreachTransition t : ts) {
        Breach b = t.breach();
        require(rule(rules, b.rule()).enabled(), at, "disabled rule " + b.rule());
        seen.add((t.kind() == OPENED ? "opened " : "resolved ") + b.rule());
        String key = b.target() + "#" + b.rule();
        BreachTransition prev = lastByKey.put(key, t);
        if (t.kind() == OPENED) {
          require(prev == null || prev.kind() == RESOLVED, at, key + " opened twice");
          require(b.open(), at, "an opened breach is open");
          require(openedIds.add(b.breachId()), at, "id reused " + b.breachId());
        } else {
          require(prev != null, at, key + " resolved before opened");
          require(prev.kind() == OPENED, at, key + " resolved twice");
          require(b.breachId().equals(prev.breach().breachId()), at, "resolved another breach");
          require(!b.resolvedAt().isBefore(b.openedAt()), at, "resolved before opened");
        }
      }
      Set<String> stillOpen = new HashSet<>();
      lastByKey.forEach((k, t) -> {
        if (t.kind() == OPENED) {
          stillOpen.add(t.breach().breachId());
        }
      });
      Set<String> reported = new HashSet<>();
      s.openBreaches().forEach(b -> reported.add(b.breachId()));
      require(reported.equals(stillOpen), at, "openBreaches " + reported + " != " + stillOpen);
    }
  }

  private static void assertOpenedBeforeResolved(List<BreachTransition> ts, String at) {
    boolean seenResolved = false;
    for (BreachTransition t : ts) {
      require(!(seenResolved && t.kind() == OPENED), at, "opened after resolved");
      seenResolved |= t.kind() == RESOLVED;
    }
  }

  /** A plain check: AssertJ per step makes 80,000 steps slow. */
  private static void require(boolean ok, String at, String what) {
    if (!ok) {
      fail(at + ": " + what);
    }
  }

  private static Rule rule(List<Rule> rules, String name) {
    return rules.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }

  /** Mostly compliant; during an outage mostly unreachable; otherwise any verdict. */
  private static Observation randomObservation(Random r, TargetId id, Instant at, boolean outage) {
    Verdict v;
    if (outage && r.nextInt(5) != 0) {
      v = r.nextBoolean() ? Verdict.UNREACHABLE : Verdict.TIMEOUT;
    } else if (r.nextInt(3) == 0) {
      v = VERDICTS[r.nextInt(VERDICTS.length)];
    } else {
      v = Verdict.COMPLIANT;
    }
    boolean responded = !(v == Verdict.UNREACHABLE || v == Verdict.TIMEOUT || v == Verdict.TLS_ERROR);
    Duration probe = Duration.ofMillis(r.nextInt(4) == 0 ? 1000 + r.nextInt(4000) : 20 + r.nextInt(200));
    Statement.Slo slo = responded && r.nextBoolean()
        ? new Statement.Slo(maybe(r, 500 + r.nextInt(3000)), maybe(r, 20 + r.nextInt(500)),
            maybe(r, r.nextInt(30) / 1000.0))
        : null;
    String hash = switch (r.nextInt(4)) {
      case 0 -> null;
      case 1 -> "deadbeefdeadbeef";
      default -> "cdd01ef066bc6cf2";
    };
    return new Observation(id, at, v, "", r.nextBoolean(), responded, probe, slo, hash);
  }

  private static Double maybe(Random r, double x) {
    return r.nextInt(4) == 0 ? null : x;
  }
}
