package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil keygen}: a new signing key pair, private key mode 0600. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
        "Generate a signing key pair: NAME.key.pem (PKCS#8, mode 0600) and NAME.pub.pem (SubjectPublicKeyInfo).",
        "Prints the keyid (hex SHA-256 of the DER public key). Existing files are never overwritten."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scheme", required = true, paramLabel = "SCHEME", converter = Converters.SchemeName.class,
      description = "ed25519, ecdsa-sha2-nistp256 or rsassa-pss-sha256 (RSA keys have 3072 bits).")
  Scheme scheme;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the key files to (created if missing).")
  Path out;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "vigil",
      description = "Base name of the files (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new Main.InputException("--name may hold only letters, digits, '.', '_' and '-', got '" + name + "'");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new Main.InputException("--out " + out + " is not a directory");
    }
    Path priv = out.resolve(name + ".key.pem");
    Path pub = out.resolve(name + ".pub.pem");
    for (Path p : new Path[] {priv, pub}) {
      if (Files.exists(p)) {
        throw new Main.InputException(p + " already exists; refusing to overwrite a key");
      }
    }
    SigningKey key = Keys.generate(scheme, new SecureRandom());
    try {
      Files.createDirectories(out);
      write(priv, key.privatePem(), true);
      write(pub, key.publicKey().toPem(), false);
    } catch (FileAlreadyExistsException e) {
      throw new Main.InputException(e.getFile() + " already exists; refusing to overwrite a key");
    } catch (IOException e) {
      throw new Main.InputException("--out " + out + ": cannot write: " + e.getMessage());
    }
    spec.commandLine().getOut().println(key.keyId());
    spec.commandLine().getErr().println("wrote " + priv + " (private, mode 0600) and " + pub + " (" + scheme + ")");
    return 0;
  }

  private static void write(Path file, String content, boolean secret) throws IOException {
    if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    }
  }
}
