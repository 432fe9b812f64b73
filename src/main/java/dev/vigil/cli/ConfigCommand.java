package dev.vigil.cli;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.ConfigSchema;
import dev.vigil.config.TargetConfig;
import dev.vigil.config.VigilConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vigil config check FILE}: loads a configuration as the monitor would and prints every
 * error with its YAML path. Exit 0 when valid, 1 when invalid, 2 when the file cannot be read.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configuration tools.")
final class ConfigCommand implements Runnable {
  private final Map<String, String> env;

  @Spec CommandSpec spec;

  ConfigCommand() {
    this(System.getenv());
  }

  /** With {@code env} in place of the process environment, for tests. */
  ConfigCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: check");
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
          "Check a configuration file: every unknown key, wrong value, unset environment variable and unreadable"
              + " key file, each with its YAML path; --schema-only checks the structure alone.",
          "Exit status: 0 valid, 1 invalid, 2 unreadable file."
      })
  int check(@Parameters(paramLabel = "FILE", description = "The YAML configuration file.") Path file,
      @Option(names = "--schema-only", description = "Check the structure against the JSON Schema only (keys, types,"
          + " forms): no environment variable is looked up and no key file read.") boolean schemaOnly) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (Files.isDirectory(file) || !Files.isReadable(file)) {
      err.println(file + ": cannot read: " + (Files.isDirectory(file) ? "it is a directory"
          : Files.exists(file) ? "permission denied" : "no such file"));
      return Main.INPUT_ERROR;
    }
    if (schemaOnly) {
      List<ConfigError> errors = ConfigSchema.check(file);
      errors.forEach(e -> err.println(file + ": " + e));
      if (errors.isEmpty()) {
        out.println(file + ": OK (structure only: environment variables and key files not checked)");
      }
      return errors.isEmpty() ? 0 : 1;
    }
    ConfigResult result = ConfigLoader.load(file, env);
    if (result instanceof ConfigResult.Valid valid) {
      VigilConfig config = valid.config();
      long environments = config.targets().stream().map(TargetConfig::environment).distinct().count();
      out.println(file + ": OK — " + count(config.targets().size(), "target") + ", "
          + count(environments, "environment"));
      return 0;
    }
    for (ConfigError e : result.errors()) {
      err.println(file + ": " + e);
    }
    return 1;
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
