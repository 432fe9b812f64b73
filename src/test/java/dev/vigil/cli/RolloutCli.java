package dev.vigil.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code vigil rollout ...} in this JVM with a given environment (the admin token), for other packages' tests. */
public final class RolloutCli {
  /** Exit code and what was printed. */
  public record Run(int exit, String out, String err) {}

  private RolloutCli() {}

  public static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new RolloutCommand(env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof Main.InputException) {
        line.getErr().println(ex.getMessage());
        return 2;
      }
      throw ex;
    });
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
