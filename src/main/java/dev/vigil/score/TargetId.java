package dev.vigil.score;

import java.util.Objects;

/** One monitored instance: a service in one environment (e.g. integrity-service, green). Immutable. */
public record TargetId(String service, String environment) implements Comparable<TargetId> {
  public TargetId {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
  }

  @Override
  public int compareTo(TargetId o) {
    int c = service.compareTo(o.service);
    return c != 0 ? c : environment.compareTo(o.environment);
  }

  @Override
  public String toString() {
    return service + "/" + environment;
  }
}
