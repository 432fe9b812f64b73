package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command. Each subcommand is its own class; exit codes are 0 for success, 1 for
 * a negative finding (a verdict other than compliant), 2 for usage or input errors, 3 for an
 * internal error.
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Continuous compliance and hash-integrity monitor: verifies signed constitutional attestations.",
    footer = {"", "Exit status: 0 success or compliant, 1 a verdict other than compliant, 2 usage or input error, 3 internal error."},
    subcommands = {
        MonitorCommand.class,
        RollbackControllerCommand.class,
        DemoCommand.class,
        SimulateCommand.class,
        ConfigCommand.class,
        VerifyCommand.class,
        AttestCommand.class,
        AttesterCommand.class,
        KeygenCommand.class,
        OutboxCommand.class, DedupCommand.class,
        RolloutCommand.class,
        AuditCommand.class,
        ReportCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code for usage and input errors (picocli's default for usage errors, too). */
  static final int INPUT_ERROR = 2;
  /** Exit code for a bug: an unexpected exception, never to be confused with a finding (1). */
  static final int INTERNAL_ERROR = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    // Netty's JFR allocator events initialise JDK Flight Recorder's metadata inside the first pooled
    // chunk allocation, on an event loop: seconds on a loaded machine (issue 14). Off unless asked for.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and the process environment; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, System.getenv());
  }

  /**
   * Runs the command line with the given streams, {@code env} in place of the process environment for
   * the options that default to a variable ({@link LogOptions}); returns the exit code.
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setDefaultValueProvider(new LogOptions.EnvironmentDefaults(env));
    HelpLayout.apply(cl);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof InputException) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        return INPUT_ERROR;
      }
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": internal error: " + ex);
      ex.printStackTrace(cmd.getErr());
      return INTERNAL_ERROR;
    });
    int code;
    try {
      code = cl.execute(args);
    } catch (NoClassDefFoundError missing) {
      code = missingComponent(missing, args, err);
    }
    out.flush();
    err.flush();
    return code;
  }

  /**
   * A command line that does not parse: the one-line error (and picocli's "did you mean" suggestions for an
   * unknown option or command), then where the help is; not the whole usage. Exit 2.
   */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
      }
    }
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return INPUT_ERROR;
  }

  /**
   * A command whose libraries this installation does not ship (the container image carries
   * {@code lib/}, what the monitor and the controller need, not {@code lib-demo/}, the embedded
   * broker that only {@code demo} and {@code bench} use): one line, exit 2, no stack trace.
   */
  private static int missingComponent(NoClassDefFoundError missing, String[] args, PrintWriter err) {
    String command = args.length == 0 ? "vigil" : "vigil " + args[0];
    err.println(command + ": this installation lacks a library it needs (" + missing.getMessage().replace('/', '.')
        + "): the embedded broker and its dependencies live in lib-demo/ beside vigil.jar, which the container image"
        + " does not ship; run this command from a full build (mvn package)");
    return INPUT_ERROR;
  }

  /** An error in what the user gave (a missing file, an unreadable key): exit 2 with its message. */
  static final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
      super(message);
    }
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/vigil-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        return new String[] {"vigil (version unknown)"};
      }
      return new String[] {
          "vigil " + p.getProperty("version", "unknown"),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
