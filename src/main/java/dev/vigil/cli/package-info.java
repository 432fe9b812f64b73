/**
 * The {@code vigil} command (picocli) and its subcommands: argument parsing, exit codes (0
 * compliant, 1 a finding, 2 usage or input error, 3 internal error) and the wiring of files and
 * flags into the other packages. No logic of its own beyond that.
 *
 * <p>The top of the dependency graph: it may depend on every package; none depends on it.
 */
package dev.vigil.cli;
