package dev.vigil.score;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/** Observations, rules and scorers for the score tests; every time is explicit. */
final class ScoreFixtures {
  static final String HASH = "cdd01ef066bc6cf2";
  static final String BAD_HASH = "deadbeefdeadbeef";
  /** Poll 5 of a 30 s schedule starting here is 2026-11-26T18:00:31.204Z, the events-v1 example. */
  static final Instant T0 = Instant.parse("2026-11-26T17:58:01.204Z");
  static final Duration POLL = Duration.ofSeconds(30);
  static final Duration SCORING_WINDOW = Duration.ofSeconds(180);
  static final TargetId INTEGRITY_GREEN = new TargetId("integrity-service", "green");

  private ScoreFixtures() {}

  /** The time of poll {@code n} of the 30 s schedule. */
  static Instant t(int n) {
    return T0.plus(POLL.multipliedBy(n));
  }

  static TargetId green(String service) {
    return new TargetId(service, "green");
  }

  /**
   * A plain observation: an HTTP response unless the verdict is a connection-level failure, a
   * 100 ms probe, no SLO, the expected hash unless the verdict is {@code hash_mismatch}.
   */
  static Observation obs(TargetId id, Instant at, Verdict v) {
    boolean responded = !(v == Verdict.UNREACHABLE || v == Verdict.TIMEOUT || v == Verdict.TLS_ERROR);
    String hash = v == Verdict.HASH_MISMATCH ? BAD_HASH : responded ? HASH : null;
    return new Observation(id, at, v, "", v == Verdict.COMPLIANT, responded, Duration.ofMillis(100), null, hash);
  }

  static Observation withProbe(Observation o, Duration probe) {
    return new Observation(o.target(), o.at(), o.verdict(), o.detail(), o.signed(), o.responded(), probe, o.slo(),
        o.observedHash());
  }

  static Observation withSlo(Observation o, Double p95LatencyMs, Double rps, Double errorRate) {
    return new Observation(o.target(), o.at(), o.verdict(), o.detail(), o.signed(), o.responded(),
        o.probeDuration(), new Statement.Slo(p95LatencyMs, rps, errorRate), o.observedHash());
  }

  static Observation withHash(Observation o, String hash) {
    return new Observation(o.target(), o.at(), o.verdict(), o.detail(), o.signed(), o.responded(),
        o.probeDuration(), o.slo(), hash);
  }

  /** The default rule of that name. */
  static Rule rule(String name) {
    return Rule.defaults().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** The default rule of that name, changed. */
  static Rule rule(String name, UnaryOperator<Rule> change) {
    return change.apply(rule(name));
  }

  static Rule withConsecutive(Rule r, int consecutive) {
    return new Rule(r.name(), r.kind(), r.enabled(), r.threshold(), r.window(), consecutive, r.severity());
  }

  static Rule withWindow(Rule r, Duration window) {
    return new Rule(r.name(), r.kind(), r.enabled(), r.threshold(), window, r.consecutive(), r.severity());
  }

  static Rule disabled(Rule r) {
    return new Rule(r.name(), r.kind(), false, r.threshold(), r.window(), r.consecutive(), r.severity());
  }

  /** A scorer with these rules, a 180 s scoring window, partition at 0.8 from 3 targets, knowing {@code targets}. */
  static Scorer scorer(List<Rule> rules, TargetId... targets) {
    Scorer s = new Scorer(rules, SCORING_WINDOW, 0.8, 3);
    s.setTargets(Arrays.asList(targets), T0);
    return s;
  }

  /** Feeds {@code verdicts} to {@code id} at polls {@code from, from+1, ...}; returns all transitions. */
  static List<BreachTransition> run(Scorer s, TargetId id, int from, Verdict... verdicts) {
    List<BreachTransition> all = new ArrayList<>();
    for (int i = 0; i < verdicts.length; i++) {
      all.addAll(s.observe(obs(id, t(from + i), verdicts[i]), HASH));
    }
    return all;
  }

  static Verdict[] times(int n, Verdict v) {
    Verdict[] out = new Verdict[n];
    Arrays.fill(out, v);
    return out;
  }

  static List<String> rules(List<BreachTransition> ts, BreachTransition.Kind kind) {
    return ts.stream().filter(t -> t.kind() == kind).map(t -> t.breach().rule()).toList();
  }
}
