package dev.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How {@code --help} reads at any terminal width: the descriptions, written as hard-wrapped lines in the
 * commands' annotations, become paragraphs that picocli wraps at the terminal's width (usage help auto
 * width, 80 columns when unknown); lines that start with a space, '-' or '*', or with "Exit status",
 * "Example", "Environment", "See also" or "Note", and empty lines start a paragraph of their own. The list of commands shows each command's whole first sentence, wrapped, never cut mid-sentence.
 * Not thread-safe: apply once, before executing.
 */
final class HelpLayout {
  /** Lines that open a paragraph of their own (e.g. "Exit status: ..."). */
  private static final java.util.regex.Pattern OWN_LINE =
      java.util.regex.Pattern.compile("(Exit status|Examples?|Environment|See also|Note)\\b");

  private HelpLayout() {}

  static void apply(CommandLine root) {
    root.setUsageHelpAutoWidth(true);
    reflow(root);
    root.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
    for (CommandLine sub : root.getSubcommands().values()) {
      if (!sub.getSubcommands().isEmpty()) {
        sub.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
      }
    }
  }

  private static void reflow(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    spec.usageMessage().description(paragraphs(spec.usageMessage().description()));
    for (CommandLine sub : cmd.getSubcommands().values()) {
      reflow(sub);
    }
  }

  /** Joins hard-wrapped lines into paragraphs (see the class comment). */
  static String[] paragraphs(String[] lines) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : lines) {
      boolean own = line.isBlank() || line.startsWith(" ") || line.startsWith("-") || line.startsWith("*")
          || OWN_LINE.matcher(line).lookingAt();
      if (own || current == null) {
        if (current != null) {
          out.add(current.toString());
        }
        current = new StringBuilder(line);
        if (line.isBlank()) {
          out.add(current.toString());
          current = null;
        }
      } else {
        current.append(' ').append(line.strip());
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out.toArray(String[]::new);
  }

  /** The first sentence of a description: up to the first ". " (or all of its first paragraph). */
  static String firstSentence(String[] description) {
    String first = description.length == 0 ? "" : paragraphs(description)[0];
    int end = first.indexOf(". ");
    return end < 0 ? first : first.substring(0, end + 1);
  }

  private static String commandList(Help help) {
    Map<String, Help> subs = help.subcommands();
    if (subs.isEmpty()) {
      return "";
    }
    int nameWidth = 0;
    for (String name : subs.keySet()) {
      nameWidth = Math.max(nameWidth, name.length());
    }
    nameWidth = Math.min(nameWidth + 2, 24);
    int width = help.commandSpec().usageMessage().width();
    TextTable table = TextTable.forColumns(help.colorScheme(),
        new Column(nameWidth + 2, 2, Column.Overflow.SPAN),
        new Column(Math.max(20, width - nameWidth - 2), 1, Column.Overflow.WRAP));
    for (Map.Entry<String, Help> e : subs.entrySet()) {
      String sentence = firstSentence(e.getValue().commandSpec().usageMessage().description());
      table.addRowValues(help.colorScheme().commandText(e.getKey()), help.colorScheme().text(sentence));
    }
    return table.toString();
  }
}
