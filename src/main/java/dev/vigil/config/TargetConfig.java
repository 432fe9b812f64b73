package dev.vigil.config;

import dev.vigil.config.PolicyConfig.Policies;
import dev.vigil.score.TargetId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One polled service instance, with every default already applied. Immutable.
 *
 * @param url base URL of the service, e.g. {@code http://127.0.0.1:8002}
 * @param attestationPath path of the attestation endpoint (default {@code /attestation})
 * @param keys the keys trusted for this target; each is scoped to this target's service
 * @param threshold signatures required from distinct trusted keys
 * @param tls TLS settings, or null for the JVM defaults
 */
public record TargetConfig(
    String service,
    String environment,
    URI url,
    String attestationPath,
    Mode mode,
    Duration interval,
    Duration timeout,
    int retries,
    List<KeyConfig> keys,
    int threshold,
    TlsConfig tls) {

  /** How the target is checked. */
  public enum Mode {
    /** Signed attestation per attestation-v1 sections 1-5. */
    ATTESTATION,
    /** The unsigned ACGS {@code /health} endpoints of attestation-v1 section 6. */
    LEGACY_HEALTH
  }

  public TargetConfig {
    keys = List.copyOf(keys);
  }

  public TargetId id() {
    return new TargetId(service, environment);
  }

  /** Service and environment names. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  static final String NAME_RULE = "use lowercase letters, digits and '-', starting with a letter or digit";
  static final String DEFAULT_ATTESTATION_PATH = "/attestation";
  private static final List<String> KEYS = List.of("service", "environment", "url", "attestationPath", "mode",
      "interval", "timeout", "retries", "threshold", "keys", "tls");

  /** {@code targets}: at least one; each inherits interval, timeout and retries from {@code polling}. */
  static List<TargetConfig> read(Node node, PollingConfig polling, Policies policies) {
    if (node.isAbsent()) {
      node.error("required: list at least one target");
      return List.of();
    }
    List<Node> items = node.items("a list of targets");
    if (node.isList() && items.isEmpty()) {
      node.error("list at least one target");
    }
    List<TargetConfig> targets = new ArrayList<>();
    Map<TargetId, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      TargetConfig target = target(items.get(i), polling, policies);
      if (target == null) {
        continue;
      }
      Integer first = seen.putIfAbsent(target.id(), i);
      if (first != null) {
        items.get(i).error("duplicate target: targets[" + first + "] and targets[" + i + "] are both "
            + target.service() + " in " + target.environment());
      } else {
        targets.add(target);
      }
    }
    return targets;
  }

  /** The target, or null when its service, environment or url is unusable (errors reported). */
  private static TargetConfig target(Node node, PollingConfig polling, Policies policies) {
    if (!node.isMapping()) {
      node.error("expected a target: a mapping with service, environment and url; got " + node.describe());
      return null;
    }
    Mapping m = Mapping.of(node, KEYS);
    String service = name(m, "service");
    String environment = name(m, "environment");
    URI url = m.require("url") ? m.parsed("url", null, TargetConfig::url) : null;
    String attestationPath = m.string("attestationPath", DEFAULT_ATTESTATION_PATH);
    m.check("attestationPath", attestationPath.matches("/[^?#\\s]*"),
        "must start with '/' and hold no query, fragment or spaces");
    Mode mode = m.parsed("mode", Mode.ATTESTATION, TargetConfig::mode);
    Duration interval = m.duration("interval", polling.interval());
    Duration timeout = m.duration("timeout", polling.timeout());
    PollingConfig.checkTiming(m, interval, timeout);
    int retries = m.integer("retries", polling.retries(), 0, PollingConfig.MAX_RETRIES);
    List<KeyConfig> keys = KeyConfig.read(m.node("keys"), service);
    int threshold = m.integer("threshold", 1, 1, Integer.MAX_VALUE);
    if (keys != null && (!keys.isEmpty() || threshold > 1)) {
      m.check("threshold", threshold <= keys.size(),
          "must be at most the number of keys (" + keys.size() + "), got " + threshold);
    }
    if (environment != null && keys != null) {
      int budget = policies.forEnvironment(environment).maxSignatureChecks();
      m.check("keys", keys.size() <= budget, keys.size() + " keys are more than the policy's maxSignatureChecks ("
          + budget + ") for " + environment + ": no envelope could be checked against them all; raise"
          + " maxSignatureChecks in policies or list fewer keys");
    }
    if (mode == Mode.ATTESTATION && environment != null && m.ok("mode") && keys != null && keys.isEmpty()
        && policies.forEnvironment(environment).requireSignature()) {
      m.check("keys", false, "required in attestation mode: the policy for " + environment
          + " requires signatures; list at least one key");
    }
    TlsConfig tls = TlsConfig.read(m.node("tls"));
    if (tls != null && url != null) {
      m.check("tls", url.getScheme().equals("https"), "applies only to an https url");
    }
    if (service == null || environment == null || url == null) {
      return null;
    }
    return new TargetConfig(service, environment, url, attestationPath, mode, interval, timeout, retries,
        keys == null ? List.of() : keys, threshold, tls);
  }

  private static String name(Mapping m, String key) {
    String name = m.required(key);
    m.check(key, name == null || NAME.matcher(name).matches(), "not a valid name; " + NAME_RULE);
    return m.ok(key) ? name : null;
  }

  /** An http or https URL with a host and nothing after the path; a trailing '/' is dropped. */
  private static URI url(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason() + " at index " + e.getIndex(), e);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must hold no user info, query or fragment; the attestationPath and"
          + " the nonce are appended to it");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("must be an http:// or https:// URL, got " + Node.quote(text));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("must name a host, e.g. http://auth-service:8000, got " + Node.quote(text));
    }
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }

  private static Mode mode(String text) {
    return switch (text) {
      case "attestation" -> Mode.ATTESTATION;
      case "legacy-health" -> Mode.LEGACY_HEALTH;
      default -> throw new IllegalArgumentException("expected attestation or legacy-health, got " + Node.quote(text));
    };
  }
}
