package dev.vigil.ops;

import java.util.ArrayList;
import java.util.List;

/** The instructions of the Dockerfile, continuation lines joined, comments dropped. */
final class DockerfileSpec {
  record Instruction(String keyword, String args) {}

  private DockerfileSpec() {}

  static List<Instruction> read() {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : OpsFiles.read(OpsFiles.ROOT.resolve("Dockerfile")).split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String all = current.toString().strip();
      current.setLength(0);
      int sp = all.indexOf(' ');
      out.add(new Instruction(all.substring(0, sp).toUpperCase(java.util.Locale.ROOT), all.substring(sp + 1).strip()));
    }
    return out;
  }

  /** The instructions of the last stage (after the last FROM). */
  static List<Instruction> runtimeStage() {
    List<Instruction> all = read();
    int last = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return all.subList(last, all.size());
  }

  static String last(List<Instruction> stage, String keyword) {
    String v = null;
    for (Instruction i : stage) {
      if (i.keyword().equals(keyword)) {
        v = i.args();
      }
    }
    return v;
  }

  /** An exec-form JSON array, e.g. ENTRYPOINT ["java", "-jar", "x.jar"]. */
  static List<String> execForm(String args) {
    try {
      List<String> out = new ArrayList<>();
      OpsFiles.JSON.readTree(args).forEach(n -> out.add(n.asText()));
      return out;
    } catch (java.io.IOException e) {
      throw new AssertionError("not an exec-form JSON array: " + args, e);
    }
  }

  /** The value of ENV NAME="value" in {@code stage}. */
  static String env(List<Instruction> stage, String name) {
    for (Instruction i : stage) {
      if (i.keyword().equals("ENV") && i.args().startsWith(name + "=")) {
        String v = i.args().substring(name.length() + 1);
        return v.startsWith("\"") ? v.substring(1, v.lastIndexOf('"')) : v;
      }
    }
    return null;
  }
}
