package dev.vigil.rollout;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * One analysis of a rollout's {@code to} side: every check, each with value, threshold and passed
 * ({@link Check}). The future never fails for what it measures (no data is an inconclusive check);
 * implementations complete on the caller's Vert.x context or any other.
 */
@FunctionalInterface
public interface Analysis {
  Future<List<Check>> run(String service, String environment);

  /** Runs {@code parts} one after another and concatenates their checks. */
  static Analysis of(List<Analysis> parts) {
    return (service, environment) -> {
      Future<List<Check>> all = Future.succeededFuture(List.of());
      for (Analysis a : parts) {
        all = all.compose(before -> a.run(service, environment).map(mine -> {
          List<Check> out = new ArrayList<>(before);
          out.addAll(mine);
          return out;
        }));
      }
      return all;
    };
  }
}
