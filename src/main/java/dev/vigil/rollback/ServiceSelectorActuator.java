package dev.vigil.rollback;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves a service to blue by switching its Kubernetes Service's selector label (default
 * {@code environment}) from {@code from} to {@code to}, leaving the other selector labels as they
 * are. Optimistic concurrency on resourceVersion with bounded retries on 409, as {@link
 * IstioActuator}. The fabric8 client blocks: calls run on a Vert.x worker thread. Thread-safe.
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
    String where = "Service " + namespace + "/" + nameOf(service);
    for (int attempt = 1; ; attempt++) {
      Service s = get(service);
      Weights before = weights(s);
      if (before.equals(Weights.ALL_BLUE)) {
        return new ActuationResult(before, false, where + " selector " + selectorKey + "=" + to + " already");
      }
      Map<String, String> selector = new LinkedHashMap<>(s.getSpec().getSelector() == null ? Map.of()
          : s.getSpec().getSelector());
      String old = selector.put(selectorKey, to);
      s.getSpec().setSelector(selector);
      beforeWrite.run();
      try {
        client.services().inNamespace(namespace).resource(s).update();
        return new ActuationResult(Weights.ALL_BLUE, true, where + " selector " + selectorKey + "=" + old + " -> "
            + to + (attempt > 1 ? " after " + (attempt - 1) + " resourceVersion conflict(s)" : ""));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= IstioActuator.MAX_ATTEMPTS) {
          throw new IOException(where + ": update failed (HTTP " + e.getCode() + "): " + e.getMessage(), e);
        }
      }
    }
  }

  private Weights weights(Service s) {
    Map<String, String> selector = s.getSpec().getSelector();
    return selector != null && to.equals(selector.get(selectorKey)) ? Weights.ALL_BLUE : Weights.ALL_GREEN;
  }

  private Service get(String service) throws IOException {
    Service s;
    try {
      s = client.services().inNamespace(namespace).withName(nameOf(service)).get();
    } catch (KubernetesClientException e) {
      throw new IOException("Service " + namespace + "/" + nameOf(service) + ": read failed (HTTP " + e.getCode()
          + "): " + e.getMessage(), e);
    }
    if (s == null || s.getSpec() == null) {
      throw new IOException("Service " + namespace + "/" + nameOf(service) + " not found");
    }
    return s;
  }

  private String nameOf(String service) {
    return name != null ? name : service;
  }
}
