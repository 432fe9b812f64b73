package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image's layout: vigil.jar with lib/ only (the Dockerfile copies no lib-demo/). The
 * monitor's and the controller's commands run; demo and bench say in one line what is missing.
 */
class LeanRuntimeIT {
  private static final Path TARGET = CliJarIT.BASEDIR.resolve("target");

  @TempDir Path image;

  @BeforeAll
  static void jarIsBuilt() {
    assumeTrue(Files.isRegularFile(CliJarIT.JAR), "target/vigil.jar is not built yet (mvn package)");
  }

  @BeforeEach
  void layOutLikeTheImage() throws IOException {
    Files.copy(CliJarIT.JAR, image.resolve("vigil.jar"));
    Path lib = Files.createDirectory(image.resolve("lib"));
    try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
      for (Path jar : jars.toList()) {
        Files.copy(jar, lib.resolve(jar.getFileName()));
      }
    }
  }

  private CliJarIT.Run vigil(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CliJarIT.java(), "-jar", image.resolve("vigil.jar").toString()));
    command.addAll(List.of(args));
    Path out = image.resolve("stdout.txt");
    Path err = image.resolve("stderr.txt");
    Process p = new ProcessBuilder(command).directory(image.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("vigil finished within 60 s").isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new CliJarIT.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Nested
  class WhatTheImageRuns {
    @Test
    void theBrokerIsNotInLib() throws IOException {
      try (Stream<Path> jars = Files.list(image.resolve("lib"))) {
        assertThat(jars.map(p -> p.getFileName().toString()))
            .isNotEmpty()
            .noneMatch(n -> n.startsWith("kafka_2.13") || n.startsWith("scala-"))
            .anyMatch(n -> n.startsWith("kafka-clients"))
            .anyMatch(n -> n.startsWith("kubernetes-client"));
      }
    }

    @Test
    void verifyOfTheRecordedExample() throws Exception {
      CliJarIT.Run r = vigil(CliJarIT.EXAMPLE.toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).startsWith("compliant");
    }

    @Test
    void theDaemonsStartFarEnoughToJudgeTheirConfiguration() throws Exception {
      Path empty = Files.writeString(image.resolve("empty.yaml"), "{}\n");
      for (String daemon : new String[] {"monitor", "rollback-controller"}) {
        CliJarIT.Run r = vigil(daemon, "--config", empty.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("NoClassDefFoundError").doesNotContain("\tat ");
      }
    }
  }

  @Nested
  class WhatItDoesNot {
    @Test
    void theDemoSaysWhatIsMissingInOneLineAndExits2() throws Exception {
      CliJarIT.Run r = vigil("demo", "--duration", "5s");
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.toString())
          .filteredOn(l -> l.contains("lib-demo/"))
          .singleElement().asString().startsWith("vigil demo: this installation lacks a library");
      assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void soDoesTheEventsBenchmark() throws Exception {
      CliJarIT.Run r = vigil("bench", "events", "--events", "1");
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("lib-demo/").doesNotContain("\tat ");
    }
  }
}
