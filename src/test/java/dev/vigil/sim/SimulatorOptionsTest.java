package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Defaults, the port layout and validation of the options. */
class SimulatorOptionsTest {
  private final SimulatorOptions defaults = SimulatorOptions.defaults();

  @Nested
  class Defaults {
    @Test
    void areTheReferenceFleet() {
      assertThat(defaults.services()).containsExactly("auth-service", "constitutional-ai-service", "integrity-service",
          "formal-verification-service", "governance-synthesis-service", "policy-governance-service",
          "executive-council-service");
      assertThat(defaults.environments()).containsExactly("green", "blue");
      assertThat(defaults.host()).isEqualTo("127.0.0.1");
      assertThat(defaults.basePort()).isEqualTo(8000);
      assertThat(defaults.adminPort()).isEqualTo(8099);
      assertThat(defaults.constitutionalHash()).isEqualTo("cdd01ef066bc6cf2");
      assertThat(defaults.constitutionDigest()).matches("[0-9a-f]{64}")
          .isEqualTo(SimulatorOptions.sha256Hex(SimulatorOptions.DEFAULT_CONSTITUTION_TEXT));
      assertThat(defaults.keysDir()).isNull();
      assertThat(defaults.isGenerated()).isFalse();
    }

    @Test
    void portsFollowDesignMd() {
      assertThat(defaults.dedicatedPort(0, 0)).isEqualTo(8000);
      assertThat(defaults.dedicatedPort(2, 0)).isEqualTo(8002);
      assertThat(defaults.dedicatedPort(6, 0)).isEqualTo(8006);
      assertThat(defaults.dedicatedPort(2, 1)).isEqualTo(8102);
      assertThat(defaults.withBasePort(0).dedicatedPort(2, 1)).isZero();
    }

    @Test
    void sha256HexIsTheStandardDigest() {
      assertThat(SimulatorOptions.sha256Hex("abc"))
          .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
  }

  @Nested
  class Generated {
    @Test
    void namesServicesAndSharesPorts() {
      SimulatorOptions o = defaults.withGenerated(12, 3);
      assertThat(o.isGenerated()).isTrue();
      assertThat(o.services()).hasSize(12).startsWith("svc-00000", "svc-00001").endsWith("svc-00011");
      assertThat(o.sharedPort(0)).isEqualTo(8000);
      assertThat(o.sharedPort(2)).isEqualTo(8002);
      assertThat(o.withGenerated(0, 4).services()).isEqualTo(SimulatorOptions.ACGS_SERVICES);
    }

    @Test
    void limitsAreChecked() {
      assertThatThrownBy(() -> defaults.withGenerated(100_001, 4)).hasMessageContaining("generated must be between");
      assertThatThrownBy(() -> defaults.withGenerated(10, 0)).hasMessageContaining("sharedPorts");
      assertThatThrownBy(() -> defaults.withGenerated(10, 4).withAdminPort(8002)).hasMessageContaining("shared ports");
    }
  }

  @Nested
  class Validation {
    @Test
    void namesMustBeUniqueAndPathSafe() {
      assertThatThrownBy(() -> defaults.withServices(List.of("a", "a"))).hasMessageContaining("'a' is listed twice");
      assertThatThrownBy(() -> defaults.withServices(List.of("a/b"))).hasMessageContaining("'a/b' is not a valid name");
      assertThatThrownBy(() -> defaults.withEnvironments(List.of())).hasMessageContaining("environments must not be empty");
      assertThatThrownBy(() -> defaults.withEnvironments(List.of("../x"))).hasMessageContaining("environments");
    }

    @Test
    void portsMustFit() {
      assertThatThrownBy(() -> defaults.withBasePort(70_000)).hasMessageContaining("basePort must be between 0 and 65535");
      assertThatThrownBy(() -> defaults.withAdminPort(-1)).hasMessageContaining("adminPort");
      assertThatThrownBy(() -> defaults.withAdminPort(8003)).hasMessageContaining("adminPort 8003 is the port of a simulated instance");
      assertThatThrownBy(() -> defaults.withAdminPort(8103)).hasMessageContaining("adminPort 8103");
      assertThatThrownBy(() -> defaults.withBasePort(65_500)).hasMessageContaining("leaves no room");
      List<String> many = java.util.stream.IntStream.range(0, 101).mapToObj(i -> "s" + i).toList();
      assertThatThrownBy(() -> defaults.withServices(many)).hasMessageContaining("use generated mode or basePort 0");
      assertThat(defaults.withBasePort(0).withServices(many).services()).hasSize(101);
    }

    @Test
    void hashAndDigestAreChecked() {
      assertThatThrownBy(() -> defaults.withConstitutionalHash("")).hasMessageContaining("constitutionalHash");
      assertThatThrownBy(() -> defaults.withConstitutionalHash("a b")).hasMessageContaining("constitutionalHash");
      assertThatThrownBy(() -> defaults.withConstitutionDigest("ABC")).hasMessageContaining("64 lowercase hex");
      assertThatThrownBy(() -> defaults.withHost(" ")).hasMessageContaining("host");
    }
  }
}
