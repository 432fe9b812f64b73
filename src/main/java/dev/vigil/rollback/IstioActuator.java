package dev.vigil.rollback;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moves a service to blue by rewriting the weights of its route in an Istio VirtualService
 * ({@code networking.istio.io/v1}, handled as a GenericKubernetesResource), through the Kubernetes API (fabric8 client). Only the HTTP
 * routes whose destinations all go to the service's host are touched; in them the destination
 * with subset {@code to} gets weight 100 and the one with subset {@code from} weight 0. Other
 * routes of the same VirtualService (other services) keep their weights.
 *
 * <p>Optimistic concurrency on resourceVersion with bounded retries on 409 ({@link OptimisticUpdate}).
 *
 * <p>The fabric8 client blocks: every call runs on a Vert.x worker thread. Thread-safe.
 */
public final class IstioActuator implements Actuator {
  static final String KIND = "VirtualService";
  /** Named in full, so the client needs no API discovery round trip (and RBAC for it) first. */
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup("networking.istio.io").withVersion("v1").withKind(KIND).withPlural("virtualservices")
      .withNamespaced(true).build();

  private final Vertx vertx;
  private final KubernetesClient client;
  private final String namespace;
  private final String virtualService;
  private final String host;
  private final String from;
  private final String to;
  private final Runnable beforeWrite;

  /**
   * @param host the destination host of the service's route; null means the service name
   */
  public IstioActuator(Vertx vertx, KubernetesClient client, String namespace, String virtualService, String host,
      String from, String to) {
    this(vertx, client, namespace, virtualService, host, from, to, () -> { });
  }

  /** With a hook run between each read and its write: tests change the object there to force a 409. */
  IstioActuator(Vertx vertx, KubernetesClient client, String namespace, String virtualService, String host,
      String from, String to, Runnable beforeWrite) {
    this.beforeWrite = beforeWrite;
    this.vertx = vertx;
    this.client = client;
    this.namespace = namespace;
    this.virtualService = virtualService;
    this.host = host;
    this.from = from;
    this.to = to;
  }

  @Override
  public Future<ActuationResult> moveToBlue(String service, String breachId) {
    return vertx.executeBlocking(() -> move(service), false);
  }

  @Override
  public Future<ActuationResult> setWeights(String service, Weights target) {
    String route = "route " + hostOf(service) + " ";
    return vertx.executeBlocking(() -> OptimisticUpdate.to(target, "VirtualService " + namespace + "/" + virtualService,
        this::get, vs -> read(service, vs), (vs, before) -> {
          setWeights(service, vs, target);
          return route + from + " " + before.green() + "/" + to + " " + before.blue() + " -> " + from + " "
              + target.green() + "/" + to + " " + target.blue();
        }, route + "already " + from + " " + target.green() + "/" + to + " " + target.blue(),
        vs -> client.genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(vs).update(), beforeWrite),
        false);
  }

  @Override
  public Future<Weights> weights(String service) {
    return vertx.executeBlocking(() -> read(service, get()), false);
  }

  @Override
  public String type() {
    return "istio";
  }

  private ActuationResult move(String service) throws IOException {
    String route = "route " + hostOf(service) + " ";
    return OptimisticUpdate.toBlue("VirtualService " + namespace + "/" + virtualService, this::get,
        vs -> read(service, vs), (vs, before) -> {
          setWeights(service, vs);
          return route + from + " " + before.green() + "/" + to + " " + before.blue() + " -> " + to + " 100";
        }, route + "already " + to + " 100",
        vs -> client.genericKubernetesResources(CONTEXT).inNamespace(namespace).resource(vs).update(), beforeWrite);
  }

  private GenericKubernetesResource get() throws IOException {
    return OptimisticUpdate.get("VirtualService " + namespace + "/" + virtualService,
        () -> client.genericKubernetesResources(CONTEXT).inNamespace(namespace).withName(virtualService).get());
  }

  private String hostOf(String service) {
    return host != null ? host : service;
  }

  /** The destinations of the service's routes; fails when the VirtualService has no route for it. */
  private List<Map<String, Object>> destinations(String service, GenericKubernetesResource vs) throws IOException {
    String h = hostOf(service);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> http : maps(map(vs.getAdditionalProperties().get("spec")).get("http"))) {
      List<Map<String, Object>> routes = maps(http.get("route"));
      boolean ours = !routes.isEmpty();
      for (Map<String, Object> r : routes) {
        Object dhost = map(r.get("destination")).get("host");
        ours &= dhost instanceof String s && (s.equals(h) || s.startsWith(h + "."));
      }
      if (ours) {
        out.addAll(routes);
      }
    }
    if (out.isEmpty()) {
      throw new IOException("VirtualService " + namespace + "/" + virtualService + " has no HTTP route to host " + h);
    }
    return out;
  }

  private Weights read(String service, GenericKubernetesResource vs) throws IOException {
    int green = 0;
    int blue = 0;
    List<Map<String, Object>> routes = destinations(service, vs);
    for (Map<String, Object> r : routes) {
      Object subset = map(r.get("destination")).get("subset");
      int w = r.get("weight") instanceof Number n ? n.intValue() : routes.size() == 1 ? 100 : 0;
      if (from.equals(subset)) {
        green += w;
      } else if (to.equals(subset)) {
        blue += w;
      }
    }
    try {
      return new Weights(green, blue);
    } catch (IllegalArgumentException e) {
      throw new IOException("VirtualService " + namespace + "/" + virtualService + " route " + hostOf(service)
          + ": " + e.getMessage(), e);
    }
  }

  private void setWeights(String service, GenericKubernetesResource vs) throws IOException {
    setWeights(service, vs, Weights.ALL_BLUE);
  }

  /** Gives the {@code from} subset {@code w.green()} and the {@code to} subset {@code w.blue()}, any other 0. */
  private void setWeights(String service, GenericKubernetesResource vs, Weights w) throws IOException {
    boolean hasTo = false;
    boolean hasFrom = false;
    for (Map<String, Object> r : destinations(service, vs)) {
      Object subset = map(r.get("destination")).get("subset");
      hasTo |= to.equals(subset);
      hasFrom |= from.equals(subset);
      r.put("weight", to.equals(subset) ? w.blue() : from.equals(subset) ? w.green() : 0);
    }
    if (w.green() > 0 && !hasFrom) {
      throw new IOException("VirtualService " + namespace + "/" + virtualService + " route " + hostOf(service)
          + " has no destination with subset " + from);
    }
    if (!hasTo && w.blue() > 0) {
      throw new IOException("VirtualService " + namespace + "/" + virtualService + " route " + hostOf(service)
          + " has no destination with subset " + to);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object o) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object e : l) {
        if (e instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }
}
