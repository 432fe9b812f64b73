package dev.vigil.sim;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link FleetSimulator} is laid out. Start from {@link #defaults()} and change what you need
 * with the {@code with...} methods; every value is checked when the record is built, and an error
 * names the option.
 *
 * <p><b>Dedicated mode</b> ({@code generated == 0}): one HTTP server per instance. The instance of
 * service {@code i} (0-based, in {@code services} order) in environment {@code e} listens on {@code
 * basePort + 100 * e + i}: with the defaults, green on 8000..8006 and blue on 8100..8106, the
 * reference fleet of design.md. Its attestation is at {@code /attestation}.
 *
 * <p><b>Generated mode</b> ({@code generated > 0}): {@code services} is replaced by {@code
 * generated} names {@code svc-00000, svc-00001, ...}; every instance is served by one of {@code
 * sharedPorts} servers on {@code basePort .. basePort + sharedPorts - 1} (round-robin), under the
 * path prefix {@code /s/<service>/<environment>}.
 *
 * <p>A port of 0 (base or admin) means ephemeral ports chosen by the OS: every dedicated instance,
 * or every shared server, gets its own. Immutable and thread-safe (the clock must be, too).
 *
 * @param keysDir where {@code <service>-<environment>.key.pem} (PKCS#8) are read from, or null to
 *     generate a fresh Ed25519 key per instance in memory
 * @param constitutionDigest lowercase hex SHA-256 of the constitution document, the statement's
 *     subject digest
 * @param adminHost where the unauthenticated admin API listens: loopback ({@value #LOOPBACK}) unless
 *     set explicitly, whatever {@code host} the services listen on
 */
public record SimulatorOptions(
    List<String> services,
    List<String> environments,
    String host,
    int basePort,
    int adminPort,
    int generated,
    int sharedPorts,
    Clock clock,
    String constitutionalHash,
    String constitutionDigest,
    Path keysDir,
    String adminHost) {

  /** The seven services of the reference ACGS fleet, in port order. */
  public static final List<String> ACGS_SERVICES = List.of(
      "auth-service",
      "constitutional-ai-service",
      "integrity-service",
      "formal-verification-service",
      "governance-synthesis-service",
      "policy-governance-service",
      "executive-council-service");
  public static final List<String> DEFAULT_ENVIRONMENTS = List.of("green", "blue");
  public static final String DEFAULT_HASH = "cdd01ef066bc6cf2";
  /** The text whose SHA-256 is the default {@link #constitutionDigest()}. */
  public static final String DEFAULT_CONSTITUTION_TEXT = "ACGS-PGP constitution (Vigil simulator reference text)\n";
  public static final int DEFAULT_BASE_PORT = 8000;
  public static final int DEFAULT_ADMIN_PORT = 8099;
  public static final int DEFAULT_SHARED_PORTS = 4;
  /** The admin API's default address. */
  public static final String LOOPBACK = "127.0.0.1";
  /** Ports between the environments of dedicated mode, so also the most services it can hold. */
  static final int ENVIRONMENT_STRIDE = 100;
  static final int MAX_GENERATED = 100_000;
  static final int MAX_SHARED_PORTS = 64;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public SimulatorOptions {
    Objects.requireNonNull(environments, "environments");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(adminHost, "adminHost");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(constitutionalHash, "constitutionalHash");
    Objects.requireNonNull(constitutionDigest, "constitutionDigest");
    if (generated < 0 || generated > MAX_GENERATED) {
      throw new IllegalArgumentException("generated must be between 0 and " + MAX_GENERATED + ", got " + generated);
    }
    services = generated > 0 ? generatedNames(generated) : List.copyOf(Objects.requireNonNull(services, "services"));
    environments = List.copyOf(environments);
    checkNames("services", services);
    checkNames("environments", environments);
    if (host.isBlank() || adminHost.isBlank()) {
      throw new IllegalArgumentException("host and adminHost must not be blank");
    }
    checkPort("basePort", basePort);
    checkPort("adminPort", adminPort);
    if (sharedPorts < 1 || sharedPorts > MAX_SHARED_PORTS) {
      throw new IllegalArgumentException("sharedPorts must be between 1 and " + MAX_SHARED_PORTS + ", got " + sharedPorts);
    }
    if (constitutionalHash.isEmpty() || constitutionalHash.length() > 128
        || !constitutionalHash.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("constitutionalHash must be 1 to 128 printable ASCII characters without spaces");
    }
    if (!HEX64.matcher(constitutionDigest).matches()) {
      throw new IllegalArgumentException("constitutionDigest must be 64 lowercase hex digits (a SHA-256)");
    }
    checkLayout(services.size(), environments.size(), basePort, adminPort, generated, sharedPorts);
  }

  /** The reference fleet on the reference ports, system clock, fresh in-memory keys. */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(ACGS_SERVICES, DEFAULT_ENVIRONMENTS, "127.0.0.1", DEFAULT_BASE_PORT,
        DEFAULT_ADMIN_PORT, 0, DEFAULT_SHARED_PORTS, Clock.systemUTC(), DEFAULT_HASH,
        sha256Hex(DEFAULT_CONSTITUTION_TEXT), null, LOOPBACK);
  }

  /** True in generated mode (shared ports, path prefixes). */
  public boolean isGenerated() {
    return generated > 0;
  }

  /** These services on dedicated ports (leaves generated mode). */
  public SimulatorOptions withServices(List<String> value) {
    return new SimulatorOptions(value, environments, host, basePort, adminPort, 0, sharedPorts, clock,
        constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  public SimulatorOptions withEnvironments(List<String> value) {
    return new SimulatorOptions(services, value, host, basePort, adminPort, generated, sharedPorts, clock,
        constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  public SimulatorOptions withHost(String value) {
    return new SimulatorOptions(services, environments, value, basePort, adminPort, generated, sharedPorts, clock,
        constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  /** Where the unauthenticated admin API listens (default loopback). */
  public SimulatorOptions withAdminHost(String value) {
    return new SimulatorOptions(services, environments, host, basePort, adminPort, generated, sharedPorts, clock,
        constitutionalHash, constitutionDigest, keysDir, value);
  }

  public SimulatorOptions withBasePort(int value) {
    return new SimulatorOptions(services, environments, host, value, adminPort, generated, sharedPorts, clock,
        constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  public SimulatorOptions withAdminPort(int value) {
    return new SimulatorOptions(services, environments, host, basePort, value, generated, sharedPorts, clock,
        constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  /**
   * Generated mode with {@code count} services on {@code ports} shared ports; a count of 0 goes
   * back to the seven ACGS services on dedicated ports.
   */
  public SimulatorOptions withGenerated(int count, int ports) {
    return new SimulatorOptions(count > 0 ? List.of() : ACGS_SERVICES, environments, host, basePort, adminPort,
        count, ports, clock, constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  public SimulatorOptions withClock(Clock value) {
    return new SimulatorOptions(services, environments, host, basePort, adminPort, generated, sharedPorts, value,
        constitutionalHash, constitutionDigest, keysDir, adminHost);
  }

  public SimulatorOptions withConstitutionalHash(String value) {
    return new SimulatorOptions(services, environments, host, basePort, adminPort, generated, sharedPorts, clock,
        value, constitutionDigest, keysDir, adminHost);
  }

  public SimulatorOptions withConstitutionDigest(String value) {
    return new SimulatorOptions(services, environments, host, basePort, adminPort, generated, sharedPorts, clock,
        constitutionalHash, value, keysDir, adminHost);
  }

  public SimulatorOptions withKeysDir(Path value) {
    return new SimulatorOptions(services, environments, host, basePort, adminPort, generated, sharedPorts, clock,
        constitutionalHash, constitutionDigest, value, adminHost);
  }

  /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The port of an instance in dedicated mode (0 when ephemeral). */
  int dedicatedPort(int serviceIndex, int environmentIndex) {
    return basePort == 0 ? 0 : basePort + ENVIRONMENT_STRIDE * environmentIndex + serviceIndex;
  }

  /** The port of the shared server {@code index} in generated mode (0 when ephemeral). */
  int sharedPort(int index) {
    return basePort == 0 ? 0 : basePort + index;
  }

  private static List<String> generatedNames(int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(String.format(Locale.ROOT, "svc-%05d", i));
    }
    return List.copyOf(names);
  }

  private static void checkNames(String option, List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException(option + " must not be empty");
    }
    var seen = new HashSet<String>();
    for (String n : names) {
      if (n == null || !NAME.matcher(n).matches()) {
        throw new IllegalArgumentException(option + ": '" + n + "' is not a valid name (1 to 100 letters, digits,"
            + " '.', '_' or '-', starting with a letter or digit)");
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException(option + ": '" + n + "' is listed twice");
      }
    }
  }

  private static void checkPort(String option, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + port);
    }
  }

  private static void checkLayout(int services, int environments, int basePort, int adminPort, int generated,
      int sharedPorts) {
    if (basePort == 0) {
      return;
    }
    int last;
    if (generated > 0) {
      last = basePort + sharedPorts - 1;
      if (adminPort >= basePort && adminPort <= last) {
        throw new IllegalArgumentException("adminPort " + adminPort + " is one of the shared ports " + basePort + ".." + last);
      }
    } else {
      if (services > ENVIRONMENT_STRIDE && environments > 1) {
        throw new IllegalArgumentException(services + " services do not fit the port layout basePort + "
            + ENVIRONMENT_STRIDE + " * environment + service; use generated mode or basePort 0");
      }
      last = basePort + ENVIRONMENT_STRIDE * (environments - 1) + services - 1;
      for (int e = 0; e < environments; e++) {
        int from = basePort + ENVIRONMENT_STRIDE * e;
        if (adminPort >= from && adminPort < from + services) {
          throw new IllegalArgumentException("adminPort " + adminPort + " is the port of a simulated instance ("
              + from + ".." + (from + services - 1) + ")");
        }
      }
    }
    if (last > 65_535) {
      throw new IllegalArgumentException("basePort " + basePort + " leaves no room for every instance: the last port would be " + last);
    }
  }
}
