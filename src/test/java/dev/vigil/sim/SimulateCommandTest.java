package dev.vigil.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Expectation;
import dev.vigil.attest.Keys;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import dev.vigil.cli.SimulateCommand;
import dev.vigil.poll.Nonce;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil simulate}, run in-process as Main would run it. */
class SimulateCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  /** Runs a fresh command, as Main does once per process. */
  private int run(String... args) {
    return run(new SimulateCommand(), args);
  }

  private int run(SimulateCommand command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")).contains("--base-port=PORT", "--admin-port=PORT", "--host=HOST", "--services=N",
        "--keys-dir=DIR", "--write-public-keys=DIR", "--admin-host=HOST", "--hash=H", "default: 8000", "default: 8099",
        "default: 127.0.0.1", "default: cdd01ef066bc6cf2", "Ctrl-C");
  }

  @Test
  void aTakenPortExitsTwoWithTheMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThat(run("--base-port", String.valueOf(port), "--admin-port", "0")).isEqualTo(2);
      assertThat(err.toString()).contains("simulate: cannot listen on 127.0.0.1:" + port
          + " for auth-service/green: address already in use");
    }
  }

  @Test
  void aTakenAdminPortExitsTwo() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(run("--base-port", "0", "--admin-port", String.valueOf(taken.getLocalPort()))).isEqualTo(2);
      assertThat(err.toString()).contains("for the admin API: address already in use");
    }
  }

  @Test
  void badInputExitsTwo(@TempDir Path dir) {
    assertThat(run("--base-port", "0", "--admin-port", "0", "--services", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--services must be at least 1");
    assertThat(run("--base-port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--base-port must be between 0 and 65535, got 70000");
    assertThat(run("--base-port", "0", "--admin-port", "0", "--rps", "-5")).isEqualTo(2);
    assertThat(err.toString()).contains("--rps must be between 0 and 1000000 requests per second per service, got -5.0");
    assertThat(run("--base-port", "0", "--admin-port", "0", "--keys-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("auth-service-green.key.pem");
  }

  @Test
  void aKeyFileThatIsADeviceExitsTwoUnread(@TempDir Path dir) throws IOException {
    Files.createSymbolicLink(dir.resolve("auth-service-green.key.pem"), Path.of("/dev/zero"));
    assertThat(run("--base-port", "0", "--admin-port", "0", "--keys-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("auth-service-green.key.pem: not a regular file");
  }

  @Test
  void runsPrintsEveryInstanceServesSignedAttestationsAndStopsCleanly(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys");
    SimulateCommand command = new SimulateCommand();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(command, "--base-port", "0", "--admin-port", "0",
        "--services", "3", "--hash", "abc123", "--write-public-keys", keys.toString()));
    Awaitility.await().atMost(SimHarness.DEADLINE).until(() -> out.toString().contains("running") || exit.isDone());
    assertThat(exit).as("still running; err: %s", err).isNotDone();
    String printed = out.toString();
    assertThat(printed).contains("admin http://127.0.0.1:", "running 6 instances");
    Matcher line = Pattern.compile("svc-00001\\s+blue\\s+(\\S+)\\s+([0-9a-f]{64})").matcher(printed);
    assertThat(line.find()).as(printed).isTrue();
    URI base = URI.create(line.group(1));
    assertThat(base.getPath()).isEqualTo("/s/svc-00001/blue");

    Keys.PublicKeyMaterial pub = Keys.readPublic(Files.readString(keys.resolve("svc-00001-blue.pub.pem")));
    assertThat(pub.keyId()).isEqualTo(line.group(2));
    String nonce = Nonce.fresh();
    byte[] body = SimHarness.get(SimHarness.withNonce(URI.create(base + "/attestation"), nonce)).body();
    Verification v = new Verifier(TrustStore.of(TrustedKey.of(pub))).verify(body,
        Expectation.of("svc-00001", "blue", Instant.now()).withNonce(nonce).withExpectedHash("abc123"));
    assertThat(v.verdict()).as("%s", v).isEqualTo(Verdict.COMPLIANT);

    command.requestStop();
    assertThat(exit.get(SimHarness.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(err.toString()).contains("simulator stopped");
  }

  /** Starts {@code args} in the background until "running" is printed; the admin URL it printed. */
  private URI startedAdminUrl(SimulateCommand command, CompletableFuture<Integer> exit) {
    Awaitility.await().atMost(SimHarness.DEADLINE).until(() -> out.toString().contains("running") || exit.isDone());
    assertThat(exit).as("still running; err: %s", err).isNotDone();
    Matcher admin = Pattern.compile("admin (http://\\S+)").matcher(out.toString());
    assertThat(admin.find()).as(out.toString()).isTrue();
    return URI.create(admin.group(1));
  }

  /** A non-loopback address of this machine, or null when it has none. */
  private static InetAddress nonLoopbackAddress() throws IOException {
    return java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
        .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
  }

  private static boolean connects(InetAddress address, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theAdminApiStaysOnLoopbackWhenTheServicesListenOnEveryAddress() throws Exception {
    SimulateCommand command = new SimulateCommand();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(command, "--host", "0.0.0.0",
        "--base-port", "0", "--admin-port", "0", "--services", "1"));
    try {
      URI admin = startedAdminUrl(command, exit);
      assertThat(admin.getHost()).isEqualTo("127.0.0.1");
      assertThat(connects(InetAddress.getLoopbackAddress(), admin.getPort())).isTrue();
      InetAddress external = nonLoopbackAddress();
      if (external != null) {
        assertThat(connects(external, admin.getPort())).as("admin API reachable on " + external).isFalse();
      }
    } finally {
      command.requestStop();
      assertThat(exit.get(SimHarness.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void adminHostOpensItExplicitly() throws Exception {
    SimulateCommand command = new SimulateCommand();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(command, "--admin-host", "0.0.0.0",
        "--base-port", "0", "--admin-port", "0", "--services", "1"));
    try {
      URI admin = startedAdminUrl(command, exit);
      assertThat(admin.getHost()).isEqualTo("0.0.0.0");
      InetAddress external = nonLoopbackAddress();
      if (external != null) {
        assertThat(connects(external, admin.getPort())).isTrue();
      }
    } finally {
      command.requestStop();
      assertThat(exit.get(SimHarness.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }
}
