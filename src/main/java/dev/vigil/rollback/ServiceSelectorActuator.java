package dev.vigil.rollback;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves a service to blue by switching its Kubernetes Service's selector label (default
 * {@code environment}) from {@code from} to {@code to}, leaving the other selector labels as they
 * are. Optimistic concurrency on resourceVersion with bounded retries on 409 ({@link
 * OptimisticUpdate}). The fabric8 client blocks: calls run on a Vert.x worker thread. Thread-safe.
 */
public final class ServiceSelectorActuator implements Actuator {
  private final Vertx vertx;
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String selectorKey;
  private final String from;
  private final String to;
  private final Runnable beforeWrite;

  /** @param name the Kubernetes Service; null means the service's own name */
  public ServiceSelectorActuator(Vertx vertx, KubernetesClient client, String namespace, String name,
      String selectorKey, String from, String to) {
    this(vertx, client, namespace, name, selectorKey, from, to, () -> { });
  }

  /** With a hook run between each read and its write: tests change the object there to force a 409. */
  ServiceSelectorActuator(Vertx vertx, KubernetesClient client, String namespace, String name, String selectorKey,
      String from, String to, Runnable beforeWrite) {
    this.beforeWrite = beforeWrite;
    this.vertx = vertx;
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.selectorKey = selectorKey;
    this.from = from;
    this.to = to;
  }

  @Override
  public Future<ActuationResult> moveToBlue(String service, String breachId) {
    return vertx.executeBlocking(() -> move(service), false);
  }

  @Override
  public Future<Weights> weights(String service) {
    return vertx.executeBlocking(() -> weights(get(service)), false);
  }

  @Override
  public String type() {
    return "service";
  }

  private ActuationResult move(String service) throws IOException {
    String selector = "selector " + selectorKey + "=";
    return OptimisticUpdate.toBlue("Service " + namespace + "/" + nameOf(service), () -> get(service), this::weights,
        (s, before) -> {
          Map<String, String> labels = new LinkedHashMap<>(s.getSpec().getSelector() == null ? Map.of()
              : s.getSpec().getSelector());
          String old = labels.put(selectorKey, to);
          s.getSpec().setSelector(labels);
          return selector + old + " -> " + to;
        }, selector + to + " already", s -> client.services().inNamespace(namespace).resource(s).update(), beforeWrite);
  }

  private Weights weights(Service s) {
    Map<String, String> selector = s.getSpec().getSelector();
    return selector != null && to.equals(selector.get(selectorKey)) ? Weights.ALL_BLUE : Weights.ALL_GREEN;
  }

  private Service get(String service) throws IOException {
    String where = "Service " + namespace + "/" + nameOf(service);
    Service s = OptimisticUpdate.get(where, () -> client.services().inNamespace(namespace).withName(nameOf(service))
        .get());
    if (s.getSpec() == null) {
      throw new IOException(where + " not found");
    }
    return s;
  }

  private String nameOf(String service) {
    return name != null ? name : service;
  }
}
