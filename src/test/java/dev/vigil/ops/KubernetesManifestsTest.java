package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest of deploy/kubernetes, loaded as Kubernetes objects (fabric8 model; Prometheus
 * Operator and Istio kinds as generic resources), and every port, path and name they reference
 * checked against the objects that must define it.
 */
class KubernetesManifestsTest {
  static final Path DIR = OpsFiles.ROOT.resolve("deploy/kubernetes");
  private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
      Map.entry("v1/Namespace", Namespace.class), Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/Secret", Secret.class), Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Service", Service.class), Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class));
  private static final Set<String> GENERIC = Set.of("monitoring.coreos.com/v1/ServiceMonitor",
      "monitoring.coreos.com/v1/PrometheusRule", "networking.istio.io/v1/VirtualService");

  /** One loaded object and the file it came from. */
  record Manifest(Path file, HasMetadata object) {}

  static List<Manifest> all;

  @BeforeAll
  static void load() throws IOException {
    List<Manifest> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path f : files) {
      try (MappingIterator<JsonNode> docs = OpsFiles.YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc == null || doc.isNull() || doc.isEmpty()) {
            continue;
          }
          String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
          Class<? extends HasMetadata> type = TYPED.get(kind);
          if (type == null) {
            assertThat(GENERIC).as(f + ": unexpected kind " + kind).contains(kind);
            type = GenericKubernetesResource.class;
          }
          out.add(new Manifest(f, OpsFiles.YAML.treeToValue(doc, type)));
        }
      }
    }
    all = out;
  }

  static <T extends HasMetadata> List<T> of(Class<T> type) {
    return all.stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
  }

  static List<GenericKubernetesResource> generic(String kind) {
    return of(GenericKubernetesResource.class).stream().filter(g -> g.getKind().equals(kind)).toList();
  }

  static <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
    return of(type).stream().filter(o -> Objects.equals(o.getMetadata().getNamespace(), namespace)
        && o.getMetadata().getName().equals(name)).findFirst();
  }

  static String id(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  @Test
  void everyManifestLoadsWithoutUnknownFields() {
    assertThat(all).hasSizeGreaterThanOrEqualTo(20);
    for (Manifest m : all) {
      assertThat(m.object().getMetadata().getName()).as(m.file().toString()).isNotBlank();
      if (!(m.object() instanceof Namespace)) {
        assertThat(m.object().getMetadata().getNamespace()).as(id(m.object())).isIn("vigil", "acgs");
      }
      if (!(m.object() instanceof GenericKubernetesResource)) {
        assertThat(unknownFields(m.object(), "", new IdentityHashMap<>())).as(m.file() + ": " + id(m.object())).isEmpty();
      }
    }
    assertThat(of(Deployment.class)).extracting(d -> d.getMetadata().getName())
        .contains("vigil-monitor", "vigil-rollback-controller", "integrity-service-green", "formal-verification-service-green");
  }

  /** Fields the model did not recognise (fabric8 keeps them in additionalProperties): typos in the YAML. */
  static List<String> unknownFields(Object o, String path, Map<Object, Boolean> seen) {
    List<String> out = new ArrayList<>();
    if (o == null || seen.put(o, true) != null) {
      return out;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        out.addAll(unknownFields(e, path + "[" + i++ + "]", seen));
      }
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.addAll(unknownFields(v, path + "." + k, seen)));
      return out;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return out;
    }
    for (Method g : o.getClass().getMethods()) {
      if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object v = g.invoke(o);
        if (g.getName().equals("getAdditionalProperties")) {
          if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
            out.add(path + ": " + extra.keySet());
          }
        } else {
          out.addAll(unknownFields(v, path + "." + g.getName().substring(3), seen));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  @Test
  void podsRunNonRootReadOnlyWithResourcesAndHealthProbesOnRealPorts() {
    for (Deployment d : of(Deployment.class)) {
      String ns = d.getMetadata().getNamespace();
      assertThat(selects(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata().getLabels()))
          .as(id(d) + " selector matches its pod template").isTrue();
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(id(d)).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(id(d)).isPositive();
      if (pod.getServiceAccountName() != null) {
        assertThat(find(ServiceAccount.class, ns, pod.getServiceAccountName())).as(id(d) + " service account").isPresent();
      }
      for (Container c : pod.getContainers()) {
        String where = id(d) + " container " + c.getName();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(where).contains("ALL");
        assertThat(c.getResources().getRequests()).as(where).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as(where).containsKeys("cpu", "memory");
        for (Probe p : Stream.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()).filter(Objects::nonNull).toList()) {
          assertThat(portOf(c, p.getHttpGet().getPort())).as(where + " probe port " + p.getHttpGet().getPort()).isPresent();
        }
        if (c.getImage().startsWith("vigil:")) {
          assertThat(path(c.getLivenessProbe())).as(where).isEqualTo("/health/live");
          assertThat(path(c.getReadinessProbe())).as(where).isEqualTo("/health/ready");
          assertThat(mountedAt(c, "/tmp")).as(where + " writable /tmp on a read-only root").isPresent();
          assertThat(c.getArgs()).as(where).containsAnyOf("--config", "--constitution");
          for (String option : List.of("--config", "--constitution", "--key")) {
            fileIsProvided(d, c, option);
          }
        }
        for (VolumeMount m : c.getVolumeMounts()) {
          assertThat(pod.getVolumes()).as(where + " mounts " + m.getName()).anyMatch(v -> v.getName().equals(m.getName()));
        }
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            var ref = e.getValueFrom().getSecretKeyRef();
            Secret s = find(Secret.class, ns, ref.getName()).orElseThrow(() -> new AssertionError(where + ": no Secret " + ref.getName()));
            assertThat(keys(s)).as(where + " env " + e.getName()).contains(ref.getKey());
          }
        }
      }
      for (Volume v : pod.getVolumes()) {
        if (v.getConfigMap() != null) {
          assertThat(find(ConfigMap.class, ns, v.getConfigMap().getName())).as(id(d) + " ConfigMap " + v.getConfigMap().getName()).isPresent();
        }
        if (v.getSecret() != null) {
          assertThat(find(Secret.class, ns, v.getSecret().getSecretName())).as(id(d) + " Secret " + v.getSecret().getSecretName()).isPresent();
        }
        if (v.getPersistentVolumeClaim() != null) {
          assertThat(find(PersistentVolumeClaim.class, ns, v.getPersistentVolumeClaim().getClaimName())).as(id(d) + " PVC").isPresent();
        }
      }
    }
  }

  static String path(Probe p) {
    return p == null ? null : Optional.ofNullable(p.getHttpGet()).map(HTTPGetAction::getPath).orElse(null);
  }

  static Optional<ContainerPort> portOf(Container c, IntOrString port) {
    return c.getPorts().stream().filter(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
        : port.getIntVal().equals(p.getContainerPort())).findFirst();
  }

  static Optional<VolumeMount> mountedAt(Container c, String path) {
    return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst();
  }

  static Set<String> keys(Secret s) {
    Set<String> k = new java.util.HashSet<>();
    if (s.getData() != null) {
      k.addAll(s.getData().keySet());
    }
    if (s.getStringData() != null) {
      k.addAll(s.getStringData().keySet());
    }
    return k;
  }

  /** The file of {@code option} (when given) lies in a mounted ConfigMap or Secret that has the file's name as a key. */
  static void fileIsProvided(Deployment d, Container c, String option) {
    List<String> args = c.getArgs();
    int i = args.indexOf(option);
    if (i < 0) {
      return;
    }
    Path file = Path.of(args.get(i + 1));
    String where = id(d) + " " + c.getName() + " " + option + " " + file;
    VolumeMount m = mountedAt(c, file.getParent().toString()).orElseThrow(() -> new AssertionError(where + ": nothing mounted at " + file.getParent()));
    Volume v = d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
    String ns = d.getMetadata().getNamespace();
    String name = file.getFileName().toString();
    if (v.getConfigMap() != null) {
      assertThat(find(ConfigMap.class, ns, v.getConfigMap().getName()).orElseThrow().getData()).as(where).containsKey(name);
    } else if (v.getSecret() != null) {
      assertThat(keys(find(Secret.class, ns, v.getSecret().getSecretName()).orElseThrow())).as(where).contains(name);
    } else {
      throw new AssertionError(where + ": mounted from neither a ConfigMap nor a Secret");
    }
  }

  @Test
  void servicesSelectPodsAndTargetTheirNamedPorts() {
    assertThat(of(Service.class)).isNotEmpty();
    for (Service s : of(Service.class)) {
      List<Deployment> backends = of(Deployment.class).stream()
          .filter(d -> d.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
          .filter(d -> selects(s.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels())).toList();
      assertThat(backends).as(id(s) + " selects a Deployment's pods").isNotEmpty();
      for (ServicePort p : s.getSpec().getPorts()) {
        for (Deployment d : backends) {
          assertThat(d.getSpec().getTemplate().getSpec().getContainers()).as(id(s) + " targetPort " + p.getTargetPort())
              .anyMatch(c -> portOf(c, p.getTargetPort()).isPresent());
        }
      }
    }
  }

  @Test
  void serviceMonitorsScrapeAServicePortAtSlashMetrics() {
    assertThat(generic("ServiceMonitor")).hasSizeGreaterThanOrEqualTo(2);
    for (GenericKubernetesResource sm : generic("ServiceMonitor")) {
      JsonNode spec = OpsFiles.JSON.valueToTree(sm.getAdditionalProperties().get("spec"));
      Map<String, String> selector = OpsFiles.JSON.convertValue(spec.at("/selector/matchLabels"),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      List<Service> services = of(Service.class).stream()
          .filter(s -> s.getMetadata().getNamespace().equals(sm.getMetadata().getNamespace()))
          .filter(s -> selects(selector, s.getMetadata().getLabels())).toList();
      assertThat(services).as(id(sm) + " selects a Service").isNotEmpty();
      for (JsonNode ep : spec.get("endpoints")) {
        assertThat(ep.get("path").asText()).isEqualTo("/metrics");
        assertThat(services).as(id(sm) + " port " + ep.get("port"))
            .allMatch(s -> s.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(ep.get("port").asText())));
      }
      // The alert rules expect the monitor's job label to be vigil-monitor.
      String job = spec.has("jobLabel") ? services.get(0).getMetadata().getLabels().get(spec.get("jobLabel").asText())
          : services.get(0).getMetadata().getName();
      assertThat(job).as(id(sm) + " job").isIn("vigil-monitor", "vigil-rollback-controller");
    }
  }

  @Test
  void thePrometheusRuleIsTheAlertRulesFile() throws IOException {
    GenericKubernetesResource rule = generic("PrometheusRule").get(0);
    JsonNode spec = OpsFiles.JSON.valueToTree(rule.getAdditionalProperties().get("spec"));
    JsonNode rules = OpsFiles.yaml(OpsFiles.RULES);
    if (!spec.equals(rules)) {
      Path regenerated = OpsFiles.ROOT.resolve("target/prometheusrule.yaml");
      JsonNode doc = OpsFiles.YAML.valueToTree(Map.of("apiVersion", rule.getApiVersion(), "kind", "PrometheusRule",
          "metadata", rule.getMetadata(), "spec", rules));
      Files.writeString(regenerated, OpsFiles.YAML.writeValueAsString(doc));
      throw new AssertionError("deploy/kubernetes/monitor/prometheusrule.yaml differs from alert-rules/vigil.rules.yml; "
          + "the regenerated manifest is in " + regenerated + " (keep the header comment)");
    }
  }

  @Test
  void theMonitorsConfigMapIsTheReferenceConfiguration() {
    ConfigMap cm = find(ConfigMap.class, "vigil", "vigil-config").orElseThrow();
    assertThat(cm.getData().get("vigil.yaml")).isEqualTo(OpsFiles.read(OpsFiles.ROOT.resolve("config/vigil.yaml")));
  }

  /** Both monitor configurations load, with the keys and token their Deployments provide; their port is the container's. */
  @Test
  void theConfigMapsAreValidConfigurationsOnTheContainerPort(@TempDir Path tmp) throws Exception {
    SecureRandom random = new SecureRandom();
    for (Deployment d : of(Deployment.class)) {
      for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
        if (!c.getImage().startsWith("vigil:") || !c.getArgs().get(0).equals("monitor")) {
          continue;
        }
        String file = c.getArgs().get(c.getArgs().indexOf("--config") + 1);
        Volume v = d.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(x -> x.getName().equals(mountedAt(c, Path.of(file).getParent().toString()).orElseThrow().getName())).findFirst().orElseThrow();
        String yaml = find(ConfigMap.class, d.getMetadata().getNamespace(), v.getConfigMap().getName()).orElseThrow().getData().get("vigil.yaml");
        Path dir = Files.createDirectories(tmp.resolve(d.getMetadata().getName()));
        Path keysDir = Files.createDirectories(dir.resolve("keys"));
        // Where the Deployment mounts its keys Secret, as this test's keys directory.
        String keysMount = c.getEnv().stream().filter(e -> e.getName().equals("VIGIL_KEYS_DIR")).map(EnvVar::getValue)
            .findFirst().orElse("/etc/vigil-keys");
        yaml = yaml.replace(keysMount + "/", keysDir + "/");
        for (String line : yaml.split("\n")) {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("([\\w.-]+\\.pub\\.pem)").matcher(line);
          if (m.find()) {
            Files.writeString(keysDir.resolve(m.group(1)), Keys.generate(Scheme.ED25519, random).publicKey().toPem());
          }
          java.util.regex.Matcher priv = java.util.regex.Pattern.compile("([\\w.-]+\\.key\\.pem)").matcher(line);
          if (priv.find() && !line.trim().startsWith("#")) {
            Files.writeString(keysDir.resolve(priv.group(1)), Keys.generate(Scheme.ED25519, random).privatePem());
          }
        }
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, yaml);
        // The container's environment as shipped: secretKeyRef values from the (placeholder) Secrets.
        Map<String, String> env = new java.util.HashMap<>();
        for (EnvVar e : c.getEnv()) {
          if (e.getValue() != null) {
            env.put(e.getName(), e.getValue());
          } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            Secret s = find(Secret.class, d.getMetadata().getNamespace(), e.getValueFrom().getSecretKeyRef().getName()).orElseThrow();
            String key = e.getValueFrom().getSecretKeyRef().getKey();
            env.put(e.getName(), s.getStringData() != null && s.getStringData().containsKey(key) ? s.getStringData().get(key)
                : new String(java.util.Base64.getDecoder().decode(s.getData().get(key)), java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        env.put("VIGIL_KEYS_DIR", keysDir.toString());
        env.putIfAbsent("POD_NAME", d.getMetadata().getName() + "-0");
        ConfigResult r = ConfigLoader.load(config, env);
        assertThat(r.errors()).as(id(d)).isEmpty();
        assertThat(c.getPorts()).as(id(d)).anyMatch(p -> p.getContainerPort() == r.orElseThrow().server().port());
        // Shipped without a token, the admin endpoints are disabled (403): never a known token.
        assertThat(r.orElseThrow().server().adminToken()).as(id(d) + " admin token as shipped").isNullOrEmpty();
      }
    }
  }

  /** The group: three replicas of one configuration with a group and Kafka; every other monitor runs alone. */
  @Test
  void theMonitorGroupRunsThreeReplicasOfOneGroupConfiguration() {
    Deployment d = find(Deployment.class, "vigil", "vigil-monitor-group").orElseThrow();
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAME") && e.getValueFrom() != null
        && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath()));
    String yaml = find(ConfigMap.class, "vigil", "vigil-group-config").orElseThrow().getData().get("vigil.yaml");
    assertThat(yaml).contains("\ngroup:\n  name: vigil-monitors\n").contains("\nkafka:\n  bootstrapServers: ")
        .contains("monitorId: ${POD_NAME}");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "vigil-monitor");
    for (ConfigMap cm : of(ConfigMap.class)) {
      if (!cm.getMetadata().getName().equals("vigil-group-config") && cm.getData() != null) {
        cm.getData().values().forEach(v -> assertThat(v).as(id(cm) + ": only the group manifest has a group")
            .doesNotContainPattern("(?m)^\\s*group:"));
      }
    }
  }

  @Test
  void theRollbackControllerMayOnlyGetAndPatchVirtualServicesInOneNamespace() {
    Deployment d = find(Deployment.class, "vigil", "vigil-rollback-controller").orElseThrow();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("rollback-controller", "--config", "/etc/vigil/vigil.yaml");
    String sa = d.getSpec().getTemplate().getSpec().getServiceAccountName();
    List<RoleBinding> bindings = of(RoleBinding.class).stream().filter(b -> b.getSubjects().stream()
        .anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(sa) && s.getNamespace().equals("vigil"))).toList();
    assertThat(bindings).hasSize(1);
    RoleBinding b = bindings.get(0);
    assertThat(b.getRoleRef().getKind()).as("a namespaced Role, never a ClusterRole").isEqualTo("Role");
    Role role = find(Role.class, b.getMetadata().getNamespace(), b.getRoleRef().getName()).orElseThrow();
    assertThat(role.getRules()).hasSize(1);
    PolicyRule r = role.getRules().get(0);
    assertThat(r.getApiGroups()).containsExactly("networking.istio.io");
    assertThat(r.getResources()).containsExactly("virtualservices");
    assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "patch");
    assertThat(r.getResourceNames()).isNullOrEmpty();
    assertThat(generic("VirtualService")).allMatch(vs -> vs.getMetadata().getNamespace().equals(role.getMetadata().getNamespace()));
    for (Subject s : b.getSubjects()) {
      assertThat(find(ServiceAccount.class, s.getNamespace(), s.getName())).isPresent();
    }
    assertThat(of(ServiceAccount.class)).filteredOn(x -> x.getMetadata().getName().equals("vigil-monitor"))
        .allMatch(x -> Boolean.FALSE.equals(x.getAutomountServiceAccountToken()));
  }

  @Test
  void networkPoliciesApplyToPodsAndAdmitTheirMetricsPort() {
    assertThat(of(NetworkPolicy.class)).isNotEmpty();
    for (NetworkPolicy np : of(NetworkPolicy.class)) {
      List<Deployment> pods = of(Deployment.class).stream()
          .filter(d -> d.getMetadata().getNamespace().equals(np.getMetadata().getNamespace()))
          .filter(d -> selects(np.getSpec().getPodSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata().getLabels())).toList();
      assertThat(pods).as(id(np) + " selects pods").isNotEmpty();
      for (NetworkPolicyPort p : np.getSpec().getIngress().stream().flatMap(i -> i.getPorts().stream()).toList()) {
        assertThat(pods).allMatch(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
            .anyMatch(c -> portOf(c, p.getPort()).isPresent()));
      }
      assertThat(np.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
    }
  }
}
