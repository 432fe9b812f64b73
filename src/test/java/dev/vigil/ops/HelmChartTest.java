package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.logging.LogFormat;
import dev.vigil.logging.LogLevel;
import dev.vigil.logging.Logging;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart deploy/helm/vigil with real Helm (helm-java bundles Helm's Go library as a native library):
 * {@code helm lint} and {@code helm template} of the defaults and of every values example, the rendered
 * objects loaded with the fabric8 model and checked as {@link KubernetesManifestsTest} checks deploy/kubernetes;
 * the rendered vigil.yaml of each loads with the real {@link ConfigLoader}.
 */
class HelmChartTest {
  static final Path CHART = OpsFiles.ROOT.resolve("deploy/helm/vigil");
  static final Path EXAMPLES = CHART.resolve("examples");
  static final String NAMESPACE = "vigil";
  /** The Kubernetes version rendered for (helm template assumes 1.20 otherwise, below the chart's kubeVersion). */
  static final String KUBE_VERSION = "1.30.0";
  private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
      Map.entry("v1/ServiceAccount", ServiceAccount.class), Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/ConfigMap", ConfigMap.class), Map.entry("v1/Service", Service.class),
      Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("monitoring.coreos.com/v1/ServiceMonitor", GenericKubernetesResource.class),
      Map.entry("monitoring.coreos.com/v1/PrometheusRule", GenericKubernetesResource.class));

  /** The objects of one rendering. */
  record Rendered(List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> of(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> generic(String kind) {
      return of(GenericKubernetesResource.class).stream().filter(g -> g.getKind().equals(kind)).toList();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
      return of(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + names()));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
      return of(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<String> names() {
      return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }
  }

  static Stream<String> examples() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static Rendered template(Path values) throws IOException {
    var cmd = new Helm(CHART).template().withName("vigil").withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    if (values != null) {
      cmd = cmd.withValuesFile(values);
    }
    return parse(cmd.call());
  }

  static Rendered parse(String manifests) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = OpsFiles.YAML.readerFor(JsonNode.class).readValues(manifests)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<? extends HasMetadata> type = TYPED.get(kind);
        assertThat(type).as("unexpected kind " + kind).isNotNull();
        HasMetadata o = OpsFiles.YAML.treeToValue(doc, type);
        if (o.getMetadata().getNamespace() == null) {
          o.getMetadata().setNamespace(NAMESPACE);
        }
        out.add(o);
      }
    }
    return new Rendered(out);
  }

  /** values.yaml with {@code example} merged over it (mappings merged, everything else replaced), as Helm does. */
  static JsonNode merged(Path example) {
    ObjectNode base = (ObjectNode) OpsFiles.yaml(CHART.resolve("values.yaml"));
    merge(base, OpsFiles.yaml(example));
    return base;
  }

  private static void merge(ObjectNode into, JsonNode over) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mine = into.get(e.getKey());
      if (mine instanceof ObjectNode m && e.getValue().isObject() && !e.getKey().equals("config")) {
        merge(m, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  static Container container(Deployment d, String name) {
    return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow();
  }

  static JsonNode endpoint(GenericKubernetesResource sm) {
    return OpsFiles.JSON.valueToTree(sm.getAdditionalProperties().get("spec")).path("endpoints").get(0);
  }

  @Nested
  class Lint {
    @Test
    void theChartWithItsDefaultsLintsClean() {
      LintResult r = new Helm(CHART).lint().strict().call();
      assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
      assertThat(r.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    /** helm-java's lint takes no values file: each example is linted as the chart with the merged values. */
    @ParameterizedTest
    @MethodSource("dev.vigil.ops.HelmChartTest#examples")
    void everyValuesExampleLintsClean(String example, @TempDir Path tmp) throws IOException {
      Path chart = tmp.resolve("vigil");
      try (Stream<Path> files = Files.walk(CHART)) {
        for (Path f : files.toList()) {
          Path to = chart.resolve(CHART.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else {
            Files.copy(f, to);
          }
        }
      }
      Files.writeString(chart.resolve("values.yaml"),
          OpsFiles.YAML.writeValueAsString(merged(EXAMPLES.resolve(example))));
      LintResult r = new Helm(chart).lint().strict().call();
      assertThat(r.isFailed()).as(example + ":\n" + String.join("\n", r.getMessages())).isFalse();
    }
  }

  @Nested
  class EveryRendering {
    @ParameterizedTest
    @MethodSource("dev.vigil.ops.HelmChartTest#examples")
    void rendersConfigurationsThatLoadOnTheContainersPorts(String example, @TempDir Path tmp) throws Exception {
      Rendered r = template(EXAMPLES.resolve(example));
      int checked = 0;
      for (Deployment d : r.of(Deployment.class)) {
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
          if (c.getArgs() == null || c.getArgs().isEmpty()) {
            continue;
          }
          VigilConfig config = load(r, d, c, tmp.resolve(d.getMetadata().getName() + "-" + c.getName()));
          boolean controller = c.getArgs().get(0).equals("rollback-controller");
          int port = controller ? config.controller().port() : config.server().port();
          Integer metricsPort = controller ? config.controller().web().metricsPort() : config.server().web().metricsPort();
          assertThat(c.getPorts()).as(example + " " + c.getName()).anyMatch(p -> p.getContainerPort() == port);
          if (metricsPort != null) {
            assertThat(c.getPorts()).as(example + " metrics port").anyMatch(p -> p.getContainerPort().equals(metricsPort)
                && p.getName().equals("metrics"));
          }
          String scheme = c.getLivenessProbe().getHttpGet().getScheme();
          var web = controller ? config.controller().web() : config.server().web();
          assertThat(scheme).isEqualTo(web.tls() == null ? "HTTP" : "HTTPS");
          checked++;
        }
      }
      assertThat(checked).as(example + ": vigil containers").isPositive();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.ops.HelmChartTest#examples")
    void createsNoSecretAndRunsAsTheManifestsDo(String example) throws Exception {
      Rendered r = template(EXAMPLES.resolve(example));
      assertThat(r.of(Secret.class)).as("Secrets are referenced, never rendered").isEmpty();
      PodSpec reference = (OpsFiles.YAML.treeToValue(OpsFiles.yaml(OpsFiles.ROOT.resolve(
          "deploy/kubernetes/monitor/deployment.yaml")), Deployment.class)).getSpec().getTemplate().getSpec();
      Container referenceContainer = reference.getContainers().get(0);
      for (Deployment d : r.of(Deployment.class)) {
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext()).as(d.getMetadata().getName()).isEqualTo(reference.getSecurityContext());
        for (Container c : pod.getContainers()) {
          assertThat(c.getSecurityContext()).as(c.getName()).isEqualTo(referenceContainer.getSecurityContext());
        }
      }
      assertThat(r.generic("PrometheusRule")).singleElement().satisfies(rule -> assertThat(
          OpsFiles.JSON.valueToTree(rule.getAdditionalProperties().get("spec")).equals(OpsFiles.yaml(OpsFiles.RULES)))
          .as("the PrometheusRule's spec is alert-rules/vigil.rules.yml").isTrue());
      for (GenericKubernetesResource sm : r.generic("ServiceMonitor")) {
        JsonNode spec = OpsFiles.JSON.valueToTree(sm.getAdditionalProperties().get("spec"));
        Map<String, String> selector = OpsFiles.JSON.convertValue(spec.path("selector").path("matchLabels"),
            OpsFiles.JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        Service svc = r.of(Service.class).stream().filter(s -> s.getMetadata().getNamespace().equals(
            sm.getMetadata().getNamespace()) && s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
            .findFirst().orElseThrow(() -> new AssertionError(example + ": no Service for " + sm.getMetadata().getName()));
        String job = svc.getMetadata().getLabels().get(spec.path("jobLabel").asText());
        assertThat(job).as("the alert rules' job names").isIn("vigil-monitor", "vigil-rollback-controller");
        String port = endpoint(sm).path("port").asText();
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName).contains(port);
      }
    }
  }

  @Test
  void theChartsRulesFileIsACopyOfAlertRules() throws IOException {
    assertThat(Files.readString(CHART.resolve("files/vigil.rules.yml")))
        .as("deploy/helm/vigil/files/vigil.rules.yml must equal alert-rules/vigil.rules.yml: copy it over")
        .isEqualTo(Files.readString(OpsFiles.RULES));
  }

  @Nested
  class Modes {
    @Test
    void standaloneIsOneReplicaWithAPersistentOutbox() throws Exception {
      Rendered r = template(null);
      Deployment d = r.get(Deployment.class, "vigil-monitor");
      assertThat(d.getSpec().getReplicas()).isEqualTo(1);
      assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
      Volume state = d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("state"))
          .findFirst().orElseThrow();
      assertThat(state.getPersistentVolumeClaim().getClaimName()).isEqualTo("vigil-monitor-state");
      assertThat(r.get(PersistentVolumeClaim.class, "vigil-monitor-state").getSpec().getAccessModes())
          .containsExactly("ReadWriteOnce");
      Container c = container(d, "monitor");
      assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("VIGIL_ADMIN_TOKEN")).singleElement()
          .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("vigil-admin"));
      assertThat(r.find(Deployment.class, "vigil-rollback-controller")).isEmpty();
    }

    @Test
    void groupRunsReplicasOfOneGroupConfigurationWithoutAVolumeClaim() throws Exception {
      Rendered r = template(EXAMPLES.resolve("values-group.yaml"));
      Deployment d = r.get(Deployment.class, "vigil-monitor-group");
      assertThat(d.getSpec().getReplicas()).isEqualTo(3);
      assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
      assertThat(r.of(PersistentVolumeClaim.class)).isEmpty();
      assertThat(r.get(ConfigMap.class, "vigil-config").getData().get("vigil.yaml")).contains("group:")
          .contains("name: vigil-monitors");
    }

    @Test
    void groupWithoutAGroupSectionIsRefusedWithTheReason(@TempDir Path tmp) throws IOException {
      Path values = Files.writeString(tmp.resolve("v.yaml"), "monitor: {mode: group}\n");
      assertThatThrownBy(() -> template(values)).hasMessageContaining("monitor.mode group needs config.group");
    }

    @Test
    void theControllerGetsItsRoleInTheTargetNamespaceAndMetricsPorts() throws Exception {
      Rendered r = template(EXAMPLES.resolve("values-controller.yaml"));
      Deployment d = r.get(Deployment.class, "vigil-rollback-controller");
      assertThat(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isTrue();
      Role role = r.get(Role.class, "vigil-rollback-controller");
      assertThat(role.getMetadata().getNamespace()).isEqualTo("acgs");
      assertThat(role.getRules().get(0).getVerbs()).containsExactly("get", "patch");
      RoleBinding rb = r.get(RoleBinding.class, "vigil-rollback-controller");
      assertThat(rb.getSubjects().get(0).getNamespace()).isEqualTo(NAMESPACE);
      assertThat(r.generic("ServiceMonitor")).extracting(sm -> endpoint(sm).path("port").asText())
          .containsExactly("metrics", "metrics");
      NetworkPolicy np = r.get(NetworkPolicy.class, "vigil-rollback-controller");
      assertThat(np.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(9472);
      assertThat(r.get(NetworkPolicy.class, "vigil-monitor").getSpec().getIngress().get(0).getPorts().get(0).getPort()
          .getIntVal()).as("Prometheus reaches only the metrics port").isEqualTo(9469);
    }

    @Test
    void tlsMountsTheSecretAndSwitchesProbesAndScrapesToHttps() throws Exception {
      Rendered r = template(EXAMPLES.resolve("values-tls.yaml"));
      Deployment d = r.get(Deployment.class, "vigil-monitor");
      assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals("tls"))
          .singleElement().satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("vigil-tls"));
      Container c = container(d, "monitor");
      assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
      assertThat(c.getEnv()).extracting(EnvVar::getName).contains("VIGIL_READ_TOKEN");
      JsonNode ep = endpoint(r.generic("ServiceMonitor").get(0));
      assertThat(ep.path("scheme").asText()).isEqualTo("https");
      assertThat(ep.path("tlsConfig").path("ca").path("secret").path("name").asText()).isEqualTo("vigil-tls");
      assertThat(r.get(ConfigMap.class, "vigil-config").getData().get("vigil.yaml"))
          .contains("certFile: /etc/vigil-tls/tls.crt").contains("clientCaFile: /etc/vigil-tls/ca.crt");
    }

    @Test
    void sidecarRendersTheWorkloadWithAVigilContainerAndNoStandaloneMonitor() throws Exception {
      Rendered r = template(EXAMPLES.resolve("values-sidecar.yaml"));
      assertThat(r.find(Deployment.class, "vigil-monitor")).isEmpty();
      Deployment d = r.get(Deployment.class, "integrity-service-green");
      assertThat(d.getMetadata().getNamespace()).isEqualTo("acgs");
      assertThat(d.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
          .containsExactly("integrity-service", "vigil-monitor");
      assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("track", "green");
      GenericKubernetesResource sm = r.generic("ServiceMonitor").get(0);
      assertThat(sm.getMetadata().getNamespace()).isEqualTo("acgs");
      assertThat(r.get(ConfigMap.class, "integrity-service-green-vigil-config").getData().get("vigil.yaml"))
          .contains("url: http://127.0.0.1:8002");
    }

    @Test
    void aValueOutsideTheSchemaIsRefused(@TempDir Path tmp) throws IOException {
      Path values = Files.writeString(tmp.resolve("v.yaml"), "monitor: {mode: cluster}\n");
      assertThatThrownBy(() -> template(values)).hasMessageContaining("mode");
      Path unknown = Files.writeString(tmp.resolve("u.yaml"), "monitr: {}\n");
      assertThatThrownBy(() -> template(unknown)).hasMessageContaining("monitr");
    }
  }

  /**
   * The logging values and extraEnv, in every vigil container: the monitor's, the controller's and the sidecar's.
   * Values are given as {@code --set} pairs over an example.
   */
  @Nested
  class Environment {
    private static final Map<String, Object> OPERATOR = Map.of(
        "logging.format", "json", "logging.level", "debug",
        "extraEnv[0].name", "OTEL_EXPORTER_OTLP_ENDPOINT",
        "extraEnv[0].value", "http://otel-collector.observability:4318",
        "extraEnv[1].name", "OTEL_EXPORTER_OTLP_HEADERS",
        "extraEnv[1].valueFrom.secretKeyRef.name", "otel-auth",
        "extraEnv[1].valueFrom.secretKeyRef.key", "headers");

    static Rendered templateWith(String example, Map<String, Object> set) throws IOException {
      var cmd = new Helm(CHART).template().withName("vigil").withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
          .withValuesFile(EXAMPLES.resolve(example));
      for (Map.Entry<String, Object> e : set.entrySet()) {
        cmd = cmd.set(e.getKey(), e.getValue());
      }
      return parse(cmd.call());
    }

    /** The environment of each vigil container (one running a vigil command), by DEPLOYMENT/CONTAINER. */
    static Map<String, List<EnvVar>> vigilEnv(Rendered r) {
      Map<String, List<EnvVar>> env = new HashMap<>();
      for (Deployment d : r.of(Deployment.class)) {
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
          if (c.getArgs() != null && !c.getArgs().isEmpty()) {
            env.put(d.getMetadata().getName() + "/" + c.getName(), c.getEnv());
          }
        }
      }
      return env;
    }

    static String value(List<EnvVar> env, String name) {
      return env.stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).reduce((a, b) -> {
        throw new AssertionError(name + " twice");
      }).orElseThrow(() -> new AssertionError("no " + name));
    }

    static Stream<String> examplesWithEachContainer() {
      return Stream.of("values-standalone.yaml", "values-controller.yaml", "values-sidecar.yaml");
    }

    @Test
    void theExamplesCoverTheMonitorTheControllerAndTheSidecar() throws IOException {
      List<String> containers = new ArrayList<>();
      for (String example : examplesWithEachContainer().toList()) {
        containers.addAll(vigilEnv(template(EXAMPLES.resolve(example))).keySet());
      }
      assertThat(containers).contains("vigil-monitor/monitor", "vigil-rollback-controller/rollback-controller",
          "integrity-service-green/vigil-monitor");
    }

    @ParameterizedTest
    @MethodSource("examplesWithEachContainer")
    void byDefaultEveryVigilContainerLogsAsTheDaemonDoes(String example) throws IOException {
      Logging.Settings daemon = Logging.Settings.defaults();
      Map<String, List<EnvVar>> containers = vigilEnv(template(EXAMPLES.resolve(example)));
      assertThat(containers).isNotEmpty();
      containers.forEach((name, env) -> {
        assertThat(value(env, "VIGIL_LOG_FORMAT")).as(name).isEqualTo(daemon.format().label());
        assertThat(value(env, "VIGIL_LOG_LEVEL")).as(name).isEqualTo(daemon.level().label());
        assertThat(env).as(name).noneMatch(e -> e.getName().startsWith("OTEL_"));
      });
    }

    @ParameterizedTest
    @MethodSource("examplesWithEachContainer")
    void loggingAndExtraEnvReachEveryVigilContainerAfterTheChartsOwn(String example) throws IOException {
      Map<String, List<EnvVar>> containers = vigilEnv(templateWith(example, OPERATOR));
      assertThat(containers).isNotEmpty();
      containers.forEach((name, env) -> {
        assertThat(LogFormat.parse(value(env, "VIGIL_LOG_FORMAT"))).as(name).isEqualTo(LogFormat.JSON);
        assertThat(LogLevel.parse(value(env, "VIGIL_LOG_LEVEL"))).as(name).isEqualTo(LogLevel.DEBUG);
        assertThat(env).as(name).extracting(EnvVar::getName).startsWith("POD_NAME")
            .endsWith("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS").doesNotHaveDuplicates();
        assertThat(value(env, "OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("http://otel-collector.observability:4318");
        EnvVar headers = env.get(env.size() - 1);
        assertThat(headers.getValue()).isNull();
        assertThat(headers.getValueFrom().getSecretKeyRef().getName()).isEqualTo("otel-auth");
        assertThat(headers.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("headers");
      });
    }

    @Test
    void aFormatOrLevelTheDaemonRefusesIsRefusedNamingTheField() {
      assertThatThrownBy(() -> templateWith("values-standalone.yaml", Map.of("logging.format", "xml")))
          .hasMessageContaining("'/logging/format': value must be one of 'text', 'json'");
      assertThatThrownBy(() -> templateWith("values-standalone.yaml", Map.of("logging.level", "verbose")))
          .hasMessageContaining("'/logging/level': value must be one of 'trace', 'debug', 'info', 'warn', 'error'");
      assertThatThrownBy(() -> templateWith("values-standalone.yaml", Map.of("logging.levl", "debug")))
          .hasMessageContaining("levl");
    }

    @Test
    void anExtraEnvEntryNeedsANameAndAStringValue() {
      assertThatThrownBy(() -> templateWith("values-standalone.yaml", Map.of("extraEnv[0].value", "x")))
          .hasMessageContaining("'/extraEnv/0': missing property 'name'");
      assertThatThrownBy(() -> templateWith("values-standalone.yaml", Map.of("extraEnv[0].name",
          "OTEL_BSP_SCHEDULE_DELAY", "extraEnv[0].value", 500))).hasMessageContaining("'/extraEnv/0/value'");
    }

    @Test
    void anExtraEnvNameTheChartSetsIsRefused() {
      assertThatThrownBy(() -> templateWith("values-standalone.yaml", Map.of("extraEnv[0].name", "VIGIL_LOG_LEVEL",
          "extraEnv[0].value", "debug"))).hasMessageContaining("extraEnv[0]: VIGIL_LOG_LEVEL is set by the chart")
          .hasMessageContaining("logging.level");
    }
  }

  /**
   * The container's vigil.yaml loaded as it would run: key files generated where it names them, the TLS
   * Secret's files as placeholders, the Secrets' values as test tokens.
   */
  static VigilConfig load(Rendered r, Deployment d, Container c, Path dir) throws Exception {
    String file = c.getArgs().get(c.getArgs().indexOf("--config") + 1);
    String mountDir = Path.of(file).getParent().toString();
    String volume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(mountDir)).findFirst().orElseThrow()
        .getName();
    String cm = d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume))
        .findFirst().orElseThrow().getConfigMap().getName();
    String yaml = r.get(ConfigMap.class, cm).getData().get("vigil.yaml");
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path tls = Files.createDirectories(dir.resolve("tls"));
    yaml = yaml.replace("/etc/vigil-keys/", keys + "/").replace("/etc/vigil-tls/", tls + "/");
    for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
      Files.writeString(tls.resolve(f), "placeholder");
    }
    SecureRandom random = new SecureRandom();
    Matcher pub = Pattern.compile("([\\w.-]+\\.pub\\.pem)").matcher(yaml);
    while (pub.find()) {
      Files.writeString(keys.resolve(pub.group(1)), Keys.generate(Scheme.ED25519, random).publicKey().toPem());
    }
    Matcher priv = Pattern.compile("([\\w.-]+\\.key\\.pem)").matcher(yaml);
    while (priv.find()) {
      Files.writeString(keys.resolve(priv.group(1)), Keys.generate(Scheme.ED25519, random).privatePem());
    }
    Path config = dir.resolve("vigil.yaml");
    Files.writeString(config, yaml);
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        env.put(e.getName(), "secret-from-" + e.getValueFrom().getSecretKeyRef().getName() + "-0123456789");
      }
    }
    env.put("VIGIL_KEYS_DIR", keys.toString());
    env.put("POD_NAME", d.getMetadata().getName() + "-0");
    ConfigResult result = ConfigLoader.load(config, env);
    assertThat(result.errors()).as(d.getMetadata().getName() + "/" + c.getName() + ":\n" + yaml).isEmpty();
    return result.orElseThrow();
  }
}
