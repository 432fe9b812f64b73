package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import dev.vigil.config.KeyConfig;
import dev.vigil.config.PolicyConfig;
import dev.vigil.config.TargetConfig;
import dev.vigil.config.TlsConfig;
import dev.vigil.poll.Nonce;
import dev.vigil.poll.OnePoll;
import dev.vigil.poll.PollTarget;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil verify}: the one-shot check of one service's attestation, from a URL or a file. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Verify one signed attestation (a DSSE envelope) against the trusted keys and the policy.",
        "With --url it polls like the monitor polls a target with that url (the same HTTP probe, TLS options and",
        "verdicts): it requests {url}{attestation path}?nonce=<fresh nonce> and checks the echo; with --file it",
        "checks a recorded envelope.",
        "Exit status: 0 compliant, 1 any other verdict, 2 usage or input error."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Source {
    @Option(names = "--url", paramLabel = "URL", required = true,
        description = {"The service's base URL, as a target's url (e.g. http://127.0.0.1:8002: the attestation path",
            "is appended), or, with a path and no --attestation-path, the full endpoint (e.g. .../attestation)."})
    URI url;

    @Option(names = "--file", paramLabel = "FILE", required = true,
        description = "A recorded envelope to verify instead of requesting one.")
    Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--service", required = true, paramLabel = "S", description = "Service the attestation must name.")
  String service;

  @Option(names = "--environment", required = true, paramLabel = "E", description = "Environment it must name (e.g. green, blue).")
  String environment;

  @Option(names = "--key", required = true, paramLabel = "PUB.pem",
      description = "Trusted public key (PEM SubjectPublicKeyInfo or X.509 certificate); repeat for several.")
  List<Path> keys = new ArrayList<>();

  @Option(names = "--expected-hash", paramLabel = "H", defaultValue = Expectation.DEFAULT_HASH,
      description = "Expected constitutional hash (default: ${DEFAULT-VALUE}).")
  String expectedHash;

  @Option(names = "--expected-digest", paramLabel = "SHA256HEX",
      description = "Pin the subject digest (SHA-256 of the constitution document).")
  String expectedDigest;

  @Option(names = "--nonce", paramLabel = "N",
      description = "Nonce to expect (with --file) or to send (with --url; default: a fresh random nonce).")
  String nonce;

  @Option(names = "--now", paramLabel = "RFC3339", converter = Converters.Rfc3339.class,
      description = "Verify as of this time instead of the clock (for recorded envelopes).")
  Instant now;

  @Option(names = "--max-clock-skew", paramLabel = "DURATION", defaultValue = "60s",
      converter = Converters.HumanDuration.class,
      description = "Allowed distance between issuedAt and now (default: ${DEFAULT-VALUE}).")
  Duration maxClockSkew;

  @Option(names = "--threshold", paramLabel = "K", defaultValue = "1",
      description = "Valid signatures required from distinct trusted keys (default: ${DEFAULT-VALUE}).")
  int threshold;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Converters.HumanDuration.class, description = "Request timeout with --url (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "65536",
      description = "Largest envelope accepted (default: ${DEFAULT-VALUE}).")
  int maxBytes;

  @Option(names = "--attestation-path", paramLabel = "PATH",
      description = "Path of the attestation endpoint under the --url base, as a target's attestationPath (default: /attestation).")
  String attestationPath;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
      description = "Further requests after a transport failure, as a target's retries (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "CA bundle to trust for an https:// URL (as tls.caFile).")
  Path caFile;

  @Option(names = "--cert-file", paramLabel = "PEM", description = "Client certificate for mutual TLS (as tls.certFile).")
  Path certFile;

  @Option(names = "--key-file", paramLabel = "PEM", description = "Client private key for mutual TLS (as tls.keyFile).")
  Path keyFile;

  @Option(names = "--no-verify-hostname",
      description = "Do not check that the server certificate names the host (as tls.verifyHostname: false).")
  boolean noVerifyHostname;

  @Option(names = "--json", description = "Print the result as a JSON object.")
  boolean json;

  @Override
  public Integer call() {
    if (threshold < 1) {
      throw new Main.InputException("--threshold must be at least 1, got " + threshold);
    }
    if (maxBytes < 1) {
      throw new Main.InputException("--max-bytes must be positive, got " + maxBytes);
    }
    if (source.url != null) {
      String scheme = source.url.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || source.url.getHost() == null) {
        throw new Main.InputException("--url " + source.url + ": expected an http:// or https:// URL with a host");
      }
      if (timeout.isZero() || timeout.isNegative()) {
        throw new Main.InputException("--timeout must be positive, got " + timeout);
      }
      if (retries < 0) {
        throw new Main.InputException("--retries must be 0 or more, got " + retries);
      }
      if (attestationPath != null && !attestationPath.startsWith("/")) {
        throw new Main.InputException("--attestation-path " + attestationPath + ": expected a path starting with /");
      }
    }
    if (source.file != null && (caFile != null || certFile != null || keyFile != null || noVerifyHostname
        || attestationPath != null)) {
      throw new Main.InputException("--ca-file, --cert-file, --key-file, --no-verify-hostname and --attestation-path"
          + " apply to --url only");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new Main.InputException("--cert-file and --key-file go together (mutual TLS needs both)");
    }
    List<TrustedKey> trusted = new ArrayList<>();
    for (Path k : keys) {
      trusted.add(TrustedKey.of(CliFiles.publicKey(k, "--key")));
    }
    Verifier verifier = new Verifier(TrustStore.of(trusted), maxBytes, Verifier.DEFAULT_MAX_SIGNATURES);
    String expectedNonce = nonce;
    Verification result;
    if (source.file != null) {
      result = verifier.verify(CliFiles.read(source.file, "--file", maxBytes), expectation(expectedNonce));
    } else {
      List<String> sent = new ArrayList<>();
      result = poll(trusted, () -> {
        String n = nonce != null ? nonce : Nonce.fresh();
        sent.add(n);
        return n;
      });
      expectedNonce = sent.isEmpty() ? null : sent.get(sent.size() - 1);
    }
    print(result, expectedNonce);
    return result.compliant() ? 0 : 1;
  }

  /** One poll as the monitor would make it of a target with this url, keys, TLS and policy. */
  private Verification poll(List<TrustedKey> trusted, java.util.function.Supplier<String> nonces) {
    List<KeyConfig> keyConfigs = new ArrayList<>();
    for (int i = 0; i < trusted.size(); i++) {
      keyConfigs.add(new KeyConfig(keys.get(i).toString(), trusted.get(i)));
    }
    URI base = source.url;
    String path = attestationPath;
    if (path == null) {
      String p = source.url.getRawPath() == null ? "" : source.url.getRawPath();
      String q = source.url.getRawQuery();
      if (p.isEmpty() || p.equals("/") && q == null) {
        path = "/attestation";
      } else {
        path = (p.isEmpty() ? "/" : p) + (q == null ? "" : "?" + q);
        base = URI.create(source.url.getScheme() + "://" + source.url.getRawAuthority());
      }
    }
    if (noVerifyHostname) {
      spec.commandLine().getErr().println("warning: --no-verify-hostname: the server certificate is not checked"
          + " against the host name of " + source.url.getHost());
    }
    TlsConfig tls = caFile == null && certFile == null && !noVerifyHostname ? null
        : new TlsConfig(tlsFile(caFile, "--ca-file"), tlsFile(certFile, "--cert-file"), tlsFile(keyFile, "--key-file"),
            !noVerifyHostname);
    TargetConfig target = new TargetConfig(service, environment, base, path, TargetConfig.Mode.ATTESTATION,
        Duration.ofSeconds(30), timeout, retries, keyConfigs, threshold, tls);
    PolicyConfig policy = new PolicyConfig(expectedHash, expectedDigest, true, maxClockSkew);
    Clock clock = now != null ? Clock.fixed(now, ZoneOffset.UTC) : Clock.systemUTC();
    try {
      return OnePoll.run(PollTarget.of(target, policy, maxBytes, Duration.ofMillis(200)), clock, nonces).verification();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.InputException("interrupted");
    }
  }

  private static Path tlsFile(Path file, String option) {
    if (file != null && !Files.isRegularFile(file)) {
      throw new Main.InputException(option + " " + file + ": not a readable regular file");
    }
    return file;
  }

  private Expectation expectation(String expectedNonce) {
    return new Expectation(service, environment, expectedNonce, expectedHash, expectedDigest,
        now != null ? now : Instant.now(), maxClockSkew, null, threshold);
  }

  private void print(Verification v, String sentNonce) {
    if (json) {
      ObjectMapper m = new ObjectMapper();
      ObjectNode o = m.createObjectNode();
      o.put("verdict", v.verdict().label());
      o.put("detail", v.detail());
      o.put("service", service);
      o.put("environment", environment);
      o.put("signed", v.signed());
      o.putPOJO("keyIds", v.verifiedKeyIds());
      o.put("nonce", sentNonce);
      if (source.url != null) {
        o.put("url", source.url.toString());
      } else {
        o.put("file", source.file.toString());
      }
      spec.commandLine().getOut().println(o.toString());
    } else {
      spec.commandLine().getOut().println(v.verdict().label() + ": " + service + "/" + environment + ": " + v.detail());
    }
  }
}
