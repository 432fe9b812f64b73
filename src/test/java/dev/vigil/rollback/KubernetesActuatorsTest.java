package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.poll.TestVertx;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Istio VirtualService and Kubernetes Service selector actuators against fabric8's mock
 * Kubernetes API server in CRUD mode (it stores objects, bumps resourceVersion on every write and
 * answers 409 Conflict to an update carrying a stale one). No real Kubernetes API server (nor
 * Istio) can run on this machine, so this mock is the closest real part: the actuators speak
 * real HTTP to it through the real fabric8 client.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesActuatorsTest {
  static final String NS = "acgs";
  KubernetesMockServer server;
  KubernetesClient client;
  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = TestVertx.create();
    server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("networking.istio.io")
        .withVersion("v1").withKind("VirtualService").withPlural("virtualservices").withScope("Namespaced").build());
  }

  @AfterEach
  void tearDown() throws Exception {
    TestVertx.await(vertx.close());
  }

  static Map<String, Object> route(String host, int green, int blue) {
    return Map.of("match", List.of(Map.of("headers", Map.of("x-svc", Map.of("exact", host)))), "route", List.of(
        Map.of("destination", Map.of("host", host, "subset", "green"), "weight", green),
        Map.of("destination", Map.of("host", host, "subset", "blue"), "weight", blue)));
  }

  /** One VirtualService routing three services, all on green. */
  GenericKubernetesResource createVirtualService() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("hosts", List.of("acgs.example"));
    spec.put("http", List.of(route("auth-service", 100, 0), route("integrity-service", 100, 0),
        route("policy-governance-service", 90, 10)));
    GenericKubernetesResource vs = new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1")
        .withKind("VirtualService").withNewMetadata().withName("acgs-routes").withNamespace(NS).endMetadata()
        .addToAdditionalProperties("spec", spec).build();
    return client.genericKubernetesResources(IstioActuator.CONTEXT).inNamespace(NS).resource(vs).create();
  }

  GenericKubernetesResource readVirtualService() {
    return client.genericKubernetesResources(IstioActuator.CONTEXT).inNamespace(NS).withName("acgs-routes").get();
  }

  /** host → [green, blue] weights as stored. */
  @SuppressWarnings("unchecked")
  static Map<String, List<Integer>> weights(GenericKubernetesResource vs) {
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (Object http : (List<Object>) ((Map<String, Object>) vs.getAdditionalProperties().get("spec")).get("http")) {
      List<Integer> w = new ArrayList<>();
      String host = null;
      for (Object r : (List<Object>) ((Map<String, Object>) http).get("route")) {
        Map<String, Object> route = (Map<String, Object>) r;
        host = (String) ((Map<String, Object>) route.get("destination")).get("host");
        w.add(((Number) route.get("weight")).intValue());
      }
      out.put(host, w);
    }
    return out;
  }

  IstioActuator istio(Runnable beforeWrite) {
    return new IstioActuator(vertx, client, NS, "acgs-routes", null, "green", "blue", beforeWrite);
  }

  @Test
  void istioMovesOnlyTheBreachedServicesRoute() throws Exception {
    String before = createVirtualService().getMetadata().getResourceVersion();
    IstioActuator a = istio(() -> { });
    assertThat(TestVertx.await(a.weights("integrity-service"))).isEqualTo(Weights.ALL_GREEN);
    ActuationResult r = TestVertx.await(a.moveToBlue("integrity-service", "b-1"));
    assertThat(r.changed()).isTrue();
    assertThat(r.weights()).isEqualTo(Weights.ALL_BLUE);
    assertThat(r.detail()).contains("VirtualService acgs/acgs-routes route integrity-service green 100/blue 0 -> blue 100");
    GenericKubernetesResource after = readVirtualService();
    assertThat(after.getMetadata().getResourceVersion()).isNotEqualTo(before);
    assertThat(weights(after)).containsExactly(
        Map.entry("auth-service", List.of(100, 0)),
        Map.entry("integrity-service", List.of(0, 100)),
        Map.entry("policy-governance-service", List.of(90, 10)));
    // the route's match and the VirtualService's hosts are untouched
    assertThat(after.getAdditionalProperties().get("spec").toString()).contains("acgs.example", "x-svc");
    assertThat(TestVertx.await(a.weights("integrity-service"))).isEqualTo(Weights.ALL_BLUE);
  }

  @Test
  void fabric8OnOurOwnVertxInstanceDoesNotDeadlock() throws Exception {
    createVirtualService();
    // as RollbackController builds it: the client's HTTP runs on the controller's Vert.x, its blocking calls on workers
    try (KubernetesClient own = new KubernetesClientBuilder().withConfig(client.getConfiguration())
        .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build()) {
      IstioActuator a = new IstioActuator(vertx, own, NS, "acgs-routes", null, "green", "blue");
      assertThat(TestVertx.await(a.moveToBlue("auth-service", "b-1")).weights()).isEqualTo(Weights.ALL_BLUE);
    }
    assertThat(weights(readVirtualService()).get("auth-service")).containsExactly(0, 100);
  }

  @Test
  void istioIsIdempotent() throws Exception {
    createVirtualService();
    IstioActuator a = istio(() -> { });
    TestVertx.await(a.moveToBlue("auth-service", "b-1"));
    String version = readVirtualService().getMetadata().getResourceVersion();
    ActuationResult again = TestVertx.await(a.moveToBlue("auth-service", "b-1"));
    assertThat(again.changed()).isFalse();
    assertThat(readVirtualService().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  @SuppressWarnings("unchecked")
  void istioConflictOnResourceVersionIsReadAgainAndRetried() throws Exception {
    createVirtualService();
    AtomicInteger writes = new AtomicInteger();
    // Between the actuator's read and its write, someone else shifts policy-governance-service to 50/50.
    IstioActuator a = istio(() -> {
      if (writes.getAndIncrement() == 0) {
        GenericKubernetesResource other = readVirtualService();
        List<Map<String, Object>> http = (List<Map<String, Object>>) ((Map<String, Object>) other
            .getAdditionalProperties().get("spec")).get("http");
        Map<String, Object> pg = new LinkedHashMap<>(http.get(2));
        pg.put("route", List.of(
            Map.of("destination", Map.of("host", "policy-governance-service", "subset", "green"), "weight", 50),
            Map.of("destination", Map.of("host", "policy-governance-service", "subset", "blue"), "weight", 50)));
        List<Map<String, Object>> changed = new ArrayList<>(http);
        changed.set(2, pg);
        ((Map<String, Object>) other.getAdditionalProperties().get("spec")).put("http", changed);
        client.genericKubernetesResources(IstioActuator.CONTEXT).inNamespace(NS).resource(other).update();
      }
    });
    ActuationResult r = TestVertx.await(a.moveToBlue("integrity-service", "b-1"));
    assertThat(writes.get()).isEqualTo(2);
    assertThat(r.detail()).endsWith("after 1 resourceVersion conflict(s)");
    // both changes are kept: the other writer's and ours
    assertThat(weights(readVirtualService())).containsExactly(
        Map.entry("auth-service", List.of(100, 0)),
        Map.entry("integrity-service", List.of(0, 100)),
        Map.entry("policy-governance-service", List.of(50, 50)));
  }

  @Test
  void istioGivesUpAfterBoundedConflicts() {
    createVirtualService();
    AtomicInteger writes = new AtomicInteger();
    IstioActuator a = istio(() -> {
      writes.incrementAndGet();
      GenericKubernetesResource other = readVirtualService();
      other.getMetadata().setLabels(Map.of("touched", String.valueOf(writes.get())));
      client.genericKubernetesResources(IstioActuator.CONTEXT).inNamespace(NS).resource(other).update();
    });
    assertThatThrownBy(() -> TestVertx.await(a.moveToBlue("integrity-service", "b-1")))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("after " + OptimisticUpdate.MAX_ATTEMPTS
            + " resourceVersion conflicts");
    assertThat(writes.get()).isEqualTo(OptimisticUpdate.MAX_ATTEMPTS);
    assertThat(weights(readVirtualService()).get("integrity-service")).containsExactly(100, 0);
  }

  @Test
  void istioFailsClearlyWithoutTheRouteOrTheObject() {
    createVirtualService();
    assertThatThrownBy(() -> TestVertx.await(istio(() -> { }).moveToBlue("executive-council-service", "b-1")))
        .hasMessageContaining("VirtualService acgs/acgs-routes has no HTTP route to host executive-council-service");
    IstioActuator missing = new IstioActuator(vertx, client, NS, "nope", null, "green", "blue");
    assertThatThrownBy(() -> TestVertx.await(missing.moveToBlue("auth-service", "b-1")))
        .hasMessageContaining("VirtualService acgs/nope not found");
  }

  Service createService(String name) {
    return client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name)
        .withNamespace(NS).endMetadata().withNewSpec().withSelector(Map.of("app", name, "environment", "green"))
        .addNewPort().withPort(8002).endPort().endSpec().build()).create();
  }

  @Test
  void serviceSelectorSwitchesOnlyTheEnvironmentLabel() throws Exception {
    createService("integrity-service");
    createService("auth-service");
    ServiceSelectorActuator a = new ServiceSelectorActuator(vertx, client, NS, null, "environment", "green", "blue");
    assertThat(TestVertx.await(a.weights("integrity-service"))).isEqualTo(Weights.ALL_GREEN);
    ActuationResult r = TestVertx.await(a.moveToBlue("integrity-service", "b-1"));
    assertThat(r.changed()).isTrue();
    assertThat(r.detail()).isEqualTo("Service acgs/integrity-service selector environment=green -> blue");
    assertThat(client.services().inNamespace(NS).withName("integrity-service").get().getSpec().getSelector())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "integrity-service", "environment", "blue"));
    assertThat(client.services().inNamespace(NS).withName("auth-service").get().getSpec().getSelector())
        .containsEntry("environment", "green");
    assertThat(TestVertx.await(a.moveToBlue("integrity-service", "b-1")).changed()).isFalse();
  }

  @Test
  void serviceSelectorRetriesAConflict() throws Exception {
    createService("integrity-service");
    AtomicInteger writes = new AtomicInteger();
    ServiceSelectorActuator a = new ServiceSelectorActuator(vertx, client, NS, null, "environment", "green", "blue",
        () -> {
          if (writes.getAndIncrement() == 0) {
            Service s = client.services().inNamespace(NS).withName("integrity-service").get();
            s.getMetadata().setAnnotations(Map.of("owner", "someone-else"));
            client.services().inNamespace(NS).resource(s).update();
          }
        });
    ActuationResult r = TestVertx.await(a.moveToBlue("integrity-service", "b-1"));
    assertThat(r.detail()).endsWith("after 1 resourceVersion conflict(s)");
    Service s = client.services().inNamespace(NS).withName("integrity-service").get();
    assertThat(s.getSpec().getSelector()).containsEntry("environment", "blue");
    assertThat(s.getMetadata().getAnnotations()).containsEntry("owner", "someone-else");
  }
}
