package dev.vigil.events;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import java.security.SecureRandom;
import java.time.Instant;

/** Keys and breaches for the event tests. */
final class EventFixtures {
  static final SigningKey MONITOR_KEY = Keys.generate(Scheme.ED25519, new SecureRandom());
  static final SigningKey STRANGER_KEY = Keys.generate(Scheme.ED25519, new SecureRandom());
  static final Instant T0 = Instant.parse("2026-11-26T18:00:31.204Z");

  private EventFixtures() {}

  static Breach breach(String service, int n) {
    TargetId id = new TargetId(service, "green");
    Instant opened = T0.plusSeconds(n);
    return new Breach(Breach.idFor(id, "hash_mismatch", opened), id, "hash_mismatch", Severity.CRITICAL,
        Verdict.HASH_MISMATCH, "deadbeefdeadbeef", "cdd01ef066bc6cf2", 0.833, 180, 1, opened, null);
  }

  static BreachTransition opened(String service, int n) {
    return new BreachTransition(BreachTransition.Kind.OPENED, breach(service, n));
  }

  static BreachTransition resolved(String service, int n) {
    Breach b = breach(service, n);
    return new BreachTransition(BreachTransition.Kind.RESOLVED,
        b.resolved(b.openedAt().plusSeconds(30), Verdict.COMPLIANT, 1.0));
  }

  static CloudEvent event(BreachTransition t) {
    return CloudEvent.breach(t.kind().eventType(), BreachData.of(t.breach(), "monitor-0"));
  }
}
