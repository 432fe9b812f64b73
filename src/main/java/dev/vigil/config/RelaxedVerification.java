package dev.vigil.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The places where a configuration weakens TLS verification on purpose: a target with
 * {@code tls.verifyHostname: false}, a Kafka client whose
 * {@code ssl.endpoint.identification.algorithm} is set empty. Each is allowed, but never silently:
 * the daemons log every one at WARN when they start. Pure; thread-safe.
 */
public final class RelaxedVerification {
  /** The Kafka client setting that, set empty, turns off broker hostname verification. */
  public static final String KAFKA_HOSTNAME_CHECK = "ssl.endpoint.identification.algorithm";

  private RelaxedVerification() {}

  /** One weakening: who ({@code target auth-service/green}, {@code kafka client vigil-m0}) and how. */
  public record Relaxation(String who, String detail) {
    @Override
    public String toString() {
      return who + ": " + detail;
    }
  }

  /** The targets whose TLS hostname verification is off (for {@code constitutional_tls_verification_relaxed}). */
  public static java.util.Set<dev.vigil.score.TargetId> targets(VigilConfig config) {
    java.util.Set<dev.vigil.score.TargetId> out = new java.util.HashSet<>();
    for (TargetConfig t : config.targets()) {
      if (t.tls() != null && !t.tls().verifyHostname()) {
        out.add(t.id());
      }
    }
    return java.util.Set.copyOf(out);
  }

  /** Every weakening in {@code config}, targets first, in configuration order. */
  public static List<Relaxation> of(VigilConfig config) {
    List<Relaxation> out = new ArrayList<>();
    for (TargetConfig t : config.targets()) {
      if (t.tls() != null && !t.tls().verifyHostname()) {
        out.add(new Relaxation("target " + t.service() + "/" + t.environment(),
            "TLS hostname verification is off (tls.verifyHostname: false); a certificate for another host is accepted"));
      }
    }
    KafkaConfig kafka = config.kafka();
    String algorithm = kafka.properties().get(KAFKA_HOSTNAME_CHECK);
    if (kafka.enabled() && algorithm != null && algorithm.isBlank()) {
      out.add(new Relaxation("kafka client " + kafka.clientId(), "broker hostname verification is off (kafka.properties."
          + KAFKA_HOSTNAME_CHECK + " is empty)"));
    }
    return out;
  }
}
