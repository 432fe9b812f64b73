package dev.vigil.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs {@link Main#execute} in-process and captures what it printed. */
final class Cli {
  private Cli() {}

  /** The exit code and the two streams of one run. */
  record Result(int code, String out, String err) {
    /** Both streams, for messages that may go to either. */
    String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  /** {@code base} followed by {@code more}, as a mutable list. */
  static List<String> args(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(Arrays.asList(more));
    return all;
  }
}
