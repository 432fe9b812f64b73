package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CliHelpTest {

  @Nested
  class Help {
    static Stream<Arguments> commands() {
      return Stream.of(
          Arguments.of(List.of("--help"), List.of("--help", "--version", "verify", "attest", "keygen", "bench")),
          Arguments.of(List.of("verify", "--help"), List.of(
              "--url", "--file", "--service", "--environment", "--key", "--expected-hash", "--expected-digest",
              "--nonce", "--now", "--max-clock-skew", "--threshold", "--timeout", "--max-bytes", "--json")),
          Arguments.of(List.of("attest", "--help"), List.of(
              "--key", "--service", "--environment", "--hash", "--nonce", "--digest", "--compliance-status",
              "--issued-at", "--sequence", "--release")),
          Arguments.of(List.of("keygen", "--help"), List.of("--scheme", "--out", "--name")),
          Arguments.of(List.of("bench", "--help"), List.of("verify", "events", "--help", "--version")),
          Arguments.of(List.of("bench", "verify", "--help"), List.of("--scheme", "--warmup", "--round", "--rounds")),
          Arguments.of(List.of("bench", "events", "--help"), List.of("--events", "--warmup", "--bootstrap", "--outbox-dir")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void helpExitsZeroAndListsEveryDeclaredOption(List<String> args, List<String> expected) {
      Cli.Result r = Cli.run(args);

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("Usage: vigil");
      for (String option : expected) {
        assertThat(r.out()).as("help of %s names %s", args, option).contains(option);
      }
    }

    @Test
    void verifyHelpStatesTheExitCodesAndDefaults() {
      String help = Cli.run("verify", "--help").out().replaceAll("\\s+", " ");

      assertThat(help).contains("0 compliant", "1 any other verdict", "2 usage or input error");
      assertThat(help).contains("(default: 60s)", "(default: 65536)", "(default: cdd01ef066bc6cf2)", "(default: 10s)");
    }

    @Test
    void helpSubcommandPrintsTheSubcommandsUsage() {
      Cli.Result r = Cli.run("help", "keygen");

      assertThat(r.code()).isZero();
      assertThat(r.out()).startsWith("Usage: vigil keygen").contains("--scheme");
    }
  }

  @Nested
  class Version {
    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void printsVigilAndAVersion(String flag) {
      Cli.Result r = Cli.run(flag);

      assertThat(r.code()).isZero();
      assertThat(r.out().lines().findFirst()).hasValueSatisfying(line ->
          assertThat(line).matches("vigil \\d+\\.\\d+\\.\\d+\\S*"));
      assertThat(r.out()).doesNotContain("${project.version}", "unknown");
    }
  }

  @Nested
  class UsageErrors {
    @Test
    void unknownSubcommandExitsTwoNamingIt() {
      Cli.Result r = Cli.run("frobnicate");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("frobnicate");
      assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownOptionExitsTwoNamingIt() {
      Cli.Result r = Cli.run("keygen", "--scheme", "ed25519", "--out", "target/never", "--frobnicate");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("Unknown option", "--frobnicate");
    }

    @Test
    void unknownTopLevelOptionExitsTwoNamingIt() {
      Cli.Result r = Cli.run("--frobnicate");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--frobnicate");
    }

    @Test
    void missingRequiredOptionsExitTwoNamingThem() {
      Cli.Result r = Cli.run("verify", "--file", "x.json");

      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--service", "--environment", "--key");
    }

    @Test
    void noArgumentsPrintsUsageAndExitsZero() {
      Cli.Result r = Cli.run();

      assertThat(r.code()).isZero();
      assertThat(r.out()).startsWith("Usage: vigil");
    }
  }
  /**
   * {@code --help} of every command and subcommand, found by walking picocli's tree (a new command is covered
   * without touching this test): exit 0, nothing on stderr, including picocli's own "[picocli WARN] Could not
   * format" lines, which go to System.err rather than to the command line's error writer.
   */
  @Nested
  class EveryCommand {
    static Stream<List<String>> commandPaths() {
      List<List<String>> paths = new ArrayList<>();
      collect(new CommandLine(new Main()), new ArrayList<>(), paths);
      return paths.stream();
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> into) {
      into.add(List.copyOf(path));
      cmd.getSubcommands().forEach((name, sub) -> {
        // An alias maps to the same CommandLine: walk each command once, by its own name.
        if (name.equals(sub.getCommandName())) {
          List<String> next = new ArrayList<>(path);
          next.add(name);
          collect(sub, next, into);
        }
      });
    }

    @Test
    void theWalkFindsNestedSubcommands() {
      assertThat(commandPaths()).contains(List.of(), List.of("demo"), List.of("bench", "verify"), List.of("help"));
    }

    @ParameterizedTest(name = "vigil {0} --help")
    @MethodSource("commandPaths")
    void helpExitsZeroWithNothingOnStderr(List<String> path) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      PrintStream realErr = System.err;
      ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
      Cli.Result r;
      System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
      try {
        r = Cli.run(args);
      } finally {
        System.setErr(realErr);
      }
      assertThat(r.code()).as("exit code of vigil %s: %s", args, r).isZero();
      assertThat(r.out()).as("stdout of vigil %s", args).contains(String.join(" ", "Usage:", "vigil", String.join(" ", path)).strip());
      assertThat(r.err()).as("stderr of vigil %s", args).isEmpty();
      assertThat(systemErr.toString(StandardCharsets.UTF_8)).as("System.err (picocli's warnings) during vigil %s", args)
          .isEmpty();
    }
  }
  /**
   * The list of commands, at the top level and in every command that has subcommands: each row is a whole
   * sentence (the command's header, else its description's first sentence), never cut mid-sentence, with no
   * unexpanded picocli escape.
   */
  @Nested
  class CommandList {
    static Stream<List<String>> parents() {
      return EveryCommand.commandPaths().filter(path -> {
        CommandLine cmd = new CommandLine(new Main());
        for (String name : path) {
          cmd = cmd.getSubcommands().get(name);
        }
        return !cmd.getSubcommands().isEmpty();
      });
    }

    /** The rows of the "Commands:" section: name -> its text, continuation lines joined. */
    static java.util.Map<String, String> rows(String help) {
      java.util.Map<String, String> rows = new java.util.LinkedHashMap<>();
      List<String> lines = help.lines().toList();
      String current = null;
      for (String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
        if (line.isBlank()) {
          break;
        }
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("^  (\\S+)\\s+(.*)$").matcher(line);
        if (row.matches()) {
          current = row.group(1);
          rows.put(current, row.group(2).strip());
        } else {
          rows.merge(current, line.strip(), (a, b) -> a + " " + b);
        }
      }
      return rows;
    }

    @ParameterizedTest(name = "vigil {0} --help")
    @MethodSource("parents")
    void everyRowIsAWholeSentenceWithNoFormatEscape(List<String> path) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Cli.Result r = Cli.run(args);
      assertThat(r.out()).as("help of vigil %s", path).contains("Commands:");
      java.util.Map<String, String> rows = rows(r.out());
      assertThat(rows).as("rows of vigil %s --help", path).isNotEmpty();
      rows.forEach((name, text) -> {
        assertThat(text).as("row '%s' of vigil %s --help", name, path)
            .doesNotContain("%n").doesNotContain("%%").matches("[A-Z].*[.!?]\\)?$");
      });
    }

    @Test
    void theHelpRowIsItsHeaderAndAListIntroducedByAColonEndsTheSentence() {
      java.util.Map<String, String> rows = rows(Cli.run("--help").out());
      assertThat(rows.get("help")).as("the help row").isEqualTo("Display help information about the specified command.");
      assertThat(rows.get("simulate")).as("the simulate row (its description continues with a list of endpoints)")
          .endsWith("with faults injectable through a JSON admin API.");
    }

    @Test
    void aLineThatStartsWithAnOptionContinuesItsSentence() {
      // bench fleet's description has a line that starts with "--blackholes": the sentence goes on.
      java.util.Map<String, String> rows = rows(Cli.run("bench", "--help").out());
      assertThat(rows.get("fleet")).as("the fleet row").contains("with --blackholes, beside targets that never answer")
          .endsWith("healthy targets').");
    }
  }
}
