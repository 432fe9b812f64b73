package dev.vigil.poll;

import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verifier;
import dev.vigil.config.KeyConfig;
import dev.vigil.config.PolicyConfig;
import dev.vigil.config.TargetConfig;
import dev.vigil.score.TargetId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to poll one target, derived once from configuration: its verifier (trust
 * store of its keys), its environment's policy and the fleet-wide limits. Immutable.
 */
public record PollTarget(TargetConfig config, PolicyConfig policy, Verifier verifier, int maxResponseBytes,
    Duration retryBackoff) {

  public static PollTarget of(TargetConfig t, PolicyConfig policy, int maxResponseBytes, Duration retryBackoff) {
    List<TrustedKey> keys = new ArrayList<>();
    for (KeyConfig k : t.keys()) {
      keys.add(k.key());
    }
    Verifier v = new Verifier(TrustStore.of(keys), maxResponseBytes, Verifier.DEFAULT_MAX_SIGNATURES,
        policy.maxSignatureChecks());
    return new PollTarget(t, policy, v, maxResponseBytes, retryBackoff);
  }

  public TargetId id() {
    return config.id();
  }

  /**
   * The request target (path and query, as sent) of {@link #endpoint endpoint(path)}: the base URL's
   * path joined with {@code path} the same way, always starting with a slash.
   */
  public String requestUri(String path) {
    String base = config.url().getRawPath() == null ? "" : config.url().getRawPath();
    if (base.endsWith("/") && path.startsWith("/")) {
      base = base.substring(0, base.length() - 1);
    } else if (!base.endsWith("/") && !path.startsWith("/")) {
      base = base + "/";
    }
    String joined = base + path;
    return joined.startsWith("/") ? joined : "/" + joined;
  }

  /** The base URL joined with {@code path}, without doubling or dropping the slash. */
  public URI endpoint(String path) {
    String base = config.url().toString();
    if (base.endsWith("/") && path.startsWith("/")) {
      base = base.substring(0, base.length() - 1);
    } else if (!base.endsWith("/") && !path.startsWith("/")) {
      base = base + "/";
    }
    return URI.create(base + path);
  }
}
