package dev.vigil.config;

import dev.vigil.attest.Expectation;
import dev.vigil.attest.Verifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an environment must attest: the constitutional hash, optionally the pinned digest of the
 * constitution document, whether signatures are required, the allowed clock skew, and the most
 * signature checks (signatures times trusted keys) one envelope may cost. Immutable.
 */
public record PolicyConfig(String expectedHash, String pinnedDigest, boolean requireSignature, Duration maxClockSkew,
    int maxSignatureChecks) {

  /** A policy with the default signature-check budget. */
  public PolicyConfig(String expectedHash, String pinnedDigest, boolean requireSignature, Duration maxClockSkew) {
    this(expectedHash, pinnedDigest, requireSignature, maxClockSkew, Verifier.DEFAULT_MAX_SIGNATURE_CHECKS);
  }

  public static PolicyConfig defaults() {
    return new PolicyConfig(Expectation.DEFAULT_HASH, null, true, Expectation.DEFAULT_MAX_CLOCK_SKEW);
  }

  static final String DEFAULT = "default";
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> KEYS = List.of("expectedHash", "pinnedDigest", "requireSignature", "maxClockSkew",
      "maxSignatureChecks");

  /** The default policy and the per-environment ones. */
  record Policies(PolicyConfig defaultPolicy, Map<String, PolicyConfig> byEnvironment) {
    PolicyConfig forEnvironment(String environment) {
      return byEnvironment.getOrDefault(environment, defaultPolicy);
    }
  }

  /**
   * {@code policies}: {@code default}, which every environment without its own entry uses, and
   * per-environment entries, which inherit each field they leave out from {@code default}.
   */
  static Policies read(Node node) {
    Map<String, Node> entries = node.entries("a mapping of environment name (or 'default') to policy");
    PolicyConfig defaultPolicy = entries.containsKey(DEFAULT)
        ? policy(entries.get(DEFAULT), PolicyConfig.defaults()) : PolicyConfig.defaults();
    Map<String, PolicyConfig> byEnvironment = new LinkedHashMap<>();
    entries.forEach((name, entry) -> {
      if (name.equals(DEFAULT)) {
        return;
      }
      if (!TargetConfig.NAME.matcher(name).matches()) {
        entry.error("not an environment name; " + TargetConfig.NAME_RULE);
      }
      byEnvironment.put(name, policy(entry, defaultPolicy));
    });
    return new Policies(defaultPolicy, byEnvironment);
  }

  private static PolicyConfig policy(Node node, PolicyConfig base) {
    Mapping m = Mapping.of(node, KEYS);
    String expectedHash = m.string("expectedHash", base.expectedHash());
    m.check("expectedHash", expectedHash.matches("\\S+"), "must be non-empty, without spaces");
    String pinnedDigest = m.string("pinnedDigest", base.pinnedDigest());
    m.check("pinnedDigest", pinnedDigest == null || DIGEST.matcher(pinnedDigest).matches(),
        "must be 64 lowercase hex digits (the SHA-256 of the constitution document)");
    boolean requireSignature = m.bool("requireSignature", base.requireSignature());
    Duration maxClockSkew = m.duration("maxClockSkew", base.maxClockSkew());
    m.check("maxClockSkew", Mapping.positive(maxClockSkew), "must be greater than 0");
    int maxSignatureChecks = m.integer("maxSignatureChecks", base.maxSignatureChecks(), 1,
        Verifier.MAX_SIGNATURE_CHECKS);
    return new PolicyConfig(expectedHash, pinnedDigest, requireSignature, maxClockSkew, maxSignatureChecks);
  }
}
