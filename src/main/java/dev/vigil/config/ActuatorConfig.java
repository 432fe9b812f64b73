package dev.vigil.config;

import java.net.URI;
import java.time.Duration;

/**
 * How one service's traffic is switched: one record per actuator type, each with only its own
 * settings ({@code rollback.actuators} in the YAML). Immutable.
 */
public sealed interface ActuatorConfig {
  Type type();

  /** The kinds of actuator. */
  enum Type {
    SIMULATOR, ISTIO, SERVICE, WEBHOOK;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The fleet simulator's router: its admin {@code url}, {@code timeout} per request. */
  record Simulator(URI url, Duration timeout) implements ActuatorConfig {
    @Override
    public Type type() {
      return Type.SIMULATOR;
    }
  }

  /** A webhook told to move traffic: its {@code url}, {@code timeout} per request. */
  record Webhook(URI url, Duration timeout) implements ActuatorConfig {
    @Override
    public Type type() {
      return Type.WEBHOOK;
    }
  }

  /**
   * An Istio VirtualService {@code name} in {@code namespace}; {@code host} is the route's
   * destination host, null meaning the service name.
   */
  record Istio(String namespace, String name, String host) implements ActuatorConfig {
    @Override
    public Type type() {
      return Type.ISTIO;
    }
  }

  /**
   * A Kubernetes Service {@code name} in {@code namespace} (null: the service's own name) whose
   * selector label {@code selectorKey} names the side.
   */
  record Service(String namespace, String name, String selectorKey) implements ActuatorConfig {
    @Override
    public Type type() {
      return Type.SERVICE;
    }
  }
}
