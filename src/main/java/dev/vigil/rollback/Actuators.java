package dev.vigil.rollback;

import dev.vigil.config.ActuatorConfig;
import dev.vigil.config.RollbackConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The actuator of each service, built from {@code rollback.actuators} on first use and kept. The
 * Kubernetes client is created (by the supplier) only when an istio or service actuator is used.
 * Returns null for a service without an actuator (the engine reports {@code failed}). Thread-safe.
 */
public final class Actuators implements Function<String, Actuator> {
  private final Vertx vertx;
  private final RollbackConfig config;
  private final HttpClientAgent http;
  private final Supplier<KubernetesClient> kubernetes;
  private final Map<String, Actuator> byService = new ConcurrentHashMap<>();

  public Actuators(Vertx vertx, RollbackConfig config, HttpClientAgent http, Supplier<KubernetesClient> kubernetes) {
    this.vertx = vertx;
    this.config = config;
    this.http = http;
    this.kubernetes = kubernetes;
  }

  @Override
  public Actuator apply(String service) {
    ActuatorConfig a = config.actuatorFor(service);
    return a == null ? null : byService.computeIfAbsent(service, s -> create(a));
  }

  private Actuator create(ActuatorConfig a) {
    return switch (a.type()) {
      case SIMULATOR -> simulator((ActuatorConfig.Simulator) a);
      case WEBHOOK -> webhook((ActuatorConfig.Webhook) a);
      case ISTIO -> istio((ActuatorConfig.Istio) a);
      case SERVICE -> service((ActuatorConfig.Service) a);
    };
  }

  private Actuator simulator(ActuatorConfig.Simulator a) {
    return new SimulatorActuator(http, a.url(), a.timeout());
  }

  private Actuator webhook(ActuatorConfig.Webhook a) {
    return new WebhookActuator(http, a.url(), config.from(), config.to(), a.timeout());
  }

  private Actuator istio(ActuatorConfig.Istio a) {
    return new IstioActuator(vertx, kubernetes.get(), a.namespace(), a.name(), a.host(), config.from(), config.to());
  }

  private Actuator service(ActuatorConfig.Service a) {
    return new ServiceSelectorActuator(vertx, kubernetes.get(), a.namespace(), a.name(), a.selectorKey(),
        config.from(), config.to());
  }
}
