package dev.vigil.cli;

import dev.vigil.attest.Expectation;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil attest}: the attester side, printing a signed envelope exactly per the spec. */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = "Sign a constitutional-hash attestation (in-toto statement in a DSSE envelope) and print the envelope.")
final class AttestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "PRIVATE.pem", description = "Signing key (PKCS#8 PEM).")
  Path key;

  @Option(names = "--service", required = true, paramLabel = "S", description = "Service name (subject and predicate).")
  String service;

  @Option(names = "--environment", required = true, paramLabel = "E", description = "Environment, e.g. green or blue.")
  String environment;

  @Option(names = "--hash", paramLabel = "H", defaultValue = Expectation.DEFAULT_HASH,
      description = "Constitutional hash to attest (default: ${DEFAULT-VALUE}).")
  String hash;

  @Option(names = "--nonce", paramLabel = "N", description = "Nonce to echo (the one the monitor sent).")
  String nonce;

  @Option(names = "--digest", paramLabel = "SHA256HEX",
      description = "Subject digest: SHA-256 of the constitution document, 64 lowercase hex digits.")
  String digest;

  @Option(names = "--compliance-status", paramLabel = "STATUS", defaultValue = "active",
      description = "complianceStatus to report (default: ${DEFAULT-VALUE}).")
  String complianceStatus;

  @Option(names = "--issued-at", paramLabel = "RFC3339", converter = Converters.Rfc3339.class,
      description = "issuedAt (default: now).")
  Instant issuedAt;

  @Option(names = "--sequence", paramLabel = "N", description = "Optional monotonic sequence number.")
  Long sequence;

  @Option(names = "--release", paramLabel = "VERSION", description = "Optional predicate.version, the service's release.")
  String release;

  @Override
  public Integer call() {
    if (digest != null && !digest.matches("[0-9a-f]{64}")) {
      throw new Main.InputException("--digest must be 64 lowercase hex digits, got '" + digest + "'");
    }
    if (sequence != null && sequence < 0) {
      throw new Main.InputException("--sequence must not be negative");
    }
    SigningKey signingKey = CliFiles.privateKey(key, "--key");
    Statement st = new Statement(service, digest, service, environment, hash, complianceStatus, nonce,
        issuedAt != null ? issuedAt : Instant.now().truncatedTo(ChronoUnit.SECONDS), release, sequence, null);
    byte[] envelope = new Signer(signingKey).sign(st).toJson();
    spec.commandLine().getOut().println(new String(envelope, StandardCharsets.UTF_8));
    return 0;
  }
}
