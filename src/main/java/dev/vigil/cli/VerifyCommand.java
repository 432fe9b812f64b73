package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.attest.Expectation;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import dev.vigil.poll.BlockingFetcher;
import dev.vigil.poll.FetchResult;
import dev.vigil.poll.Nonce;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
        "With --url it requests {url}?nonce=<fresh nonce> and checks the echo; with --file it checks a recorded envelope.",
        "Exit status: 0 compliant, 1 any other verdict, 2 usage or input error."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Source {
    @Option(names = "--url", paramLabel = "URL", required = true,
        description = "Attestation endpoint to request, e.g. http://127.0.0.1:8002/attestation.")
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
      expectedNonce = nonce != null ? nonce : Nonce.fresh();
      FetchResult fetched = new BlockingFetcher(timeout, maxBytes)
          .fetch(BlockingFetcher.attestationUri(source.url.toString(), expectedNonce));
      result = fetched.succeeded()
          ? verifier.verify(fetched.body(), expectation(expectedNonce))
          : new Verification(fetched.failure(), fetched.detail(), false, List.of(), null);
    }
    print(result, expectedNonce);
    return result.compliant() ? 0 : 1;
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
