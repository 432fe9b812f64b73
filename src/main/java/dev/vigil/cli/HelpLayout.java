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
 * width, 80 columns when unknown); lines that start with a space, a bullet ("- ", "* "), or with "Exit status",
 * "Example", "Environment", "See also" or "Note", and empty lines start a paragraph of their own (a line that
 * starts with an option, "--name", continues the paragraph). The list of commands shows, for each command, its
 * header when it has one (picocli's {@code help} command does), else the whole first sentence of its description,
 * wrapped, never cut mid-sentence, with picocli's {@code %n} and {@code %%} expanded.
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
      boolean own = line.isBlank() || line.startsWith(" ") || line.startsWith("- ") || line.startsWith("* ")
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

  /**
   * What the list of commands shows for a command: the first sentence of its header if it has one, else of its
   * description.
   */
  static String summary(CommandLine.Model.UsageMessageSpec usage) {
    String header = firstSentence(usage.header());
    return header.isEmpty() ? firstSentence(usage.description()) : header;
  }

  /**
   * The first sentence of the first non-blank paragraph: up to the first ". " (or all of the paragraph). A
   * paragraph that ends with ':' introduces what follows (a list, on lines of their own): its sentence ends there,
   * with a full stop. picocli's format escapes are expanded, {@code %n} as a paragraph break and {@code %%} as '%'.
   */
  static String firstSentence(String[] description) {
    List<String> lines = new ArrayList<>();
    for (String line : description) {
      lines.addAll(List.of(expandFormat(line).split("\n", -1)));
    }
    String first = "";
    for (String paragraph : paragraphs(lines.toArray(String[]::new))) {
      if (!paragraph.isBlank()) {
        first = paragraph.strip();
        break;
      }
    }
    int end = first.indexOf(". ");
    String sentence = end < 0 ? first : first.substring(0, end + 1);
    return sentence.endsWith(":") ? sentence.substring(0, sentence.length() - 1) + "." : sentence;
  }

  /** picocli's two format escapes in help text: {@code %n} a line break, {@code %%} a '%'. */
  private static String expandFormat(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 1 < text.length() && (text.charAt(i + 1) == 'n' || text.charAt(i + 1) == '%')) {
        out.append(text.charAt(++i) == 'n' ? '\n' : '%');
      } else {
        out.append(c);
      }
    }
    return out.toString();
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
      String sentence = summary(e.getValue().commandSpec().usageMessage());
      table.addRowValues(help.colorScheme().commandText(e.getKey()), help.colorScheme().text(sentence));
    }
    return table.toString();
  }
}
