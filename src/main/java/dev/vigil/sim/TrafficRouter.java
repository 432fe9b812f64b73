package dev.vigil.sim;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's traffic router: per service, the share of traffic (percent) its green and its
 * blue side take; every service starts at green 100, blue 0. The rollback controller switches it
 * through the admin API ({@code GET /traffic}, {@code PUT /traffic/<service>} with
 * {@code {"blue":100,"green":0}}). Thread-safe.
 */
public final class TrafficRouter {
  /** One service's weights, percent, adding up to 100. Immutable. */
  public record Split(int green, int blue) {
    public Split {
      if (green < 0 || blue < 0 || green + blue != 100) {
        throw new IllegalArgumentException("green and blue must be 0..100 and add up to 100, got green " + green
            + ", blue " + blue);
      }
    }
  }

  static final Split DEFAULT = new Split(100, 0);

  private final List<String> services;
  private final Map<String, Split> splits = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> changes = new ConcurrentHashMap<>();

  TrafficRouter(List<String> services) {
    this.services = List.copyOf(services);
  }

  /** Whether the router routes {@code service}. */
  public boolean routes(String service) {
    return services.contains(service);
  }

  /** The weights of {@code service}. */
  public Split split(String service) {
    check(service);
    return splits.getOrDefault(service, DEFAULT);
  }

  /** Sets the weights of {@code service}; returns the previous ones. */
  public Split set(String service, Split split) {
    check(service);
    Split old = splits.put(service, split);
    old = old == null ? DEFAULT : old;
    if (!old.equals(split)) {
      changes.computeIfAbsent(service, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }
    return old;
  }

  /** How many times the weights of {@code service} actually changed (a set to the same weights is no change). */
  public int changes(String service) {
    check(service);
    java.util.concurrent.atomic.AtomicInteger n = changes.get(service);
    return n == null ? 0 : n.get();
  }

  /** Every service's weights, by name. */
  public Map<String, Split> all() {
    Map<String, Split> out = new TreeMap<>();
    for (String s : services) {
      out.put(s, splits.getOrDefault(s, DEFAULT));
    }
    return out;
  }

  private void check(String service) {
    if (!routes(service)) {
      throw new IllegalArgumentException("unknown service '" + service + "'");
    }
  }
}
