package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run alone, it is a usage error (exit 2) naming them. */
abstract class ParentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing required subcommand: " + String.join(", ", spec.subcommands().keySet()));
  }
}
