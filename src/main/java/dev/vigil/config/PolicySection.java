package dev.vigil.config;

import dev.vigil.attest.Verifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code policies}: {@code default}, which every environment without its own entry uses, and
 * per-environment entries, which inherit each field they leave out from {@code default}.
 */
final class PolicySection {
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

  private PolicySection() {}

  static Policies read(Node node) {
    Map<String, Node> entries = node.entries("a mapping of environment name (or 'default') to policy");
    PolicyConfig defaultPolicy = entries.containsKey(DEFAULT)
        ? policy(entries.get(DEFAULT), PolicyConfig.defaults()) : PolicyConfig.defaults();
    Map<String, PolicyConfig> byEnvironment = new LinkedHashMap<>();
    entries.forEach((name, entry) -> {
      if (name.equals(DEFAULT)) {
        return;
      }
      if (!TargetSection.NAME.matcher(name).matches()) {
        entry.error("not an environment name; " + TargetSection.NAME_RULE);
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
