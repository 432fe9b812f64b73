package dev.vigil.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ops.DockerfileSpec.Instruction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No Docker engine runs here: the Dockerfile is checked as text (CliDockerRuntimeIT runs its command line). */
class DockerfileTest {
  @Test
  void everyBaseImageIsPinnedByExactVersionOrDigest() {
    List<String> froms = DockerfileSpec.read().stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::args).toList();
    assertThat(froms).as("multi-stage: a build stage and a runtime stage").hasSizeGreaterThanOrEqualTo(2);
    for (String from : froms) {
      String image = from.split("\\s+")[0];
      assertThat(image).as(from).doesNotContain(":latest").doesNotContain("${");
      boolean digest = image.matches(".+@sha256:[0-9a-f]{64}");
      boolean exactTag = image.matches("[^:@]+:[^@]*\\d+\\.\\d+\\.\\d+[^@]*(@sha256:[0-9a-f]{64})?");
      assertThat(digest || exactTag).as(image + " pinned by an exact x.y.z tag or a digest").isTrue();
    }
    assertThat(froms.get(froms.size() - 1)).as("a Java 17 runtime").contains("17");
  }

  @Test
  void theRuntimeRunsAsANonRootUser() {
    String user = DockerfileSpec.last(DockerfileSpec.runtimeStage(), "USER");
    assertThat(user).as("USER in the runtime stage").isNotNull();
    String name = user.split(":")[0];
    assertThat(name).isNotIn("root", "0");
    assertThat(name).matches("[1-9]\\d*").as("numeric, so that runAsNonRoot can verify it");
  }

  @Test
  void theRuntimeShipsTheJarAndItsLibsAndRunsIt() {
    List<Instruction> runtime = DockerfileSpec.runtimeStage();
    assertThat(runtime).anyMatch(i -> i.keyword().equals("COPY") && i.args().contains("target/vigil.jar") && i.args().endsWith("/opt/vigil/vigil.jar"));
    assertThat(runtime).anyMatch(i -> i.keyword().equals("COPY") && i.args().contains("target/lib") && i.args().endsWith("/opt/vigil/lib/"));
    assertThat(DockerfileSpec.execForm(DockerfileSpec.last(runtime, "ENTRYPOINT"))).containsExactly("java",
        "-XX:-UsePerfData", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/vigil/vigil.jar");
    assertThat(DockerfileSpec.execForm(DockerfileSpec.last(runtime, "CMD"))).containsExactly("monitor", "--config", "/etc/vigil/vigil.yaml");
    assertThat(DockerfileSpec.last(runtime, "EXPOSE")).isEqualTo("9470");
    assertThat(DockerfileSpec.last(runtime, "VOLUME")).contains("/var/lib/vigil");
    // The JVM options are on the command line: JDK_JAVA_OPTIONS in the image made the JVM print
    // "Picked up JDK_JAVA_OPTIONS" on every start.
    assertThat(DockerfileSpec.env(runtime, "JDK_JAVA_OPTIONS")).isNull();
    assertThat(DockerfileSpec.env(runtime, "JAVA_TOOL_OPTIONS")).isNull();
  }

  @Test
  void theBuildStageIsTheReadmesMavenBuild() {
    assertThat(DockerfileSpec.read()).anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("mvn -B -q package -DskipTests"));
    assertThat(OpsFiles.read(OpsFiles.ROOT.resolve("README.md"))).contains("mvn -B -q package -DskipTests");
  }

  @Test
  void theBuildContextLeavesOutBuildOutputAndHistory() {
    List<String> ignored = List.of(OpsFiles.read(OpsFiles.ROOT.resolve(".dockerignore")).split("\n"));
    assertThat(ignored).contains("target/", ".git");
    assertThat(ignored).doesNotContain("src", "src/", "pom.xml");
  }
}
