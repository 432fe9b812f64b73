package dev.vigil.config;

import static dev.vigil.config.ConfigFixtures.MINIMAL;
import static dev.vigil.config.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is wrong with the document itself: not YAML, empty, duplicate keys, aliases, several documents. */
class YamlDocumentTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() {
    ConfigFixtures.writeKeys(dir);
  }

  @Nested
  class NotAConfiguration {
    @Test
    void anEmptyFileSaysWhatIsNeeded() {
      assertThat(errors("", dir)).containsExactly("the configuration is empty; it needs at least 'targets'");
      assertThat(errors("# only a comment\n\n", dir))
          .containsExactly("the configuration is empty; it needs at least 'targets'");
    }

    @Test
    void brokenYamlGivesLineColumnAndProblem() {
      assertThat(errors("targets: [unclosed\n", dir)).singleElement().asString()
          .startsWith("not valid YAML at line 2, column 1: expected ',' or ']'");
      assertThat(errors("server: {port: 1}}\n", dir)).singleElement().asString().startsWith("not valid YAML at line 1");
    }

    @Test
    void tabIndentationIsNamed() {
      assertThat(errors("server:\n\tport: 1\n", dir)).singleElement().asString()
          .startsWith("not valid YAML at line 2, column 1:").contains("TAB");
    }

    @Test
    void aDocumentThatIsNoMappingIsOneError() {
      assertThat(errors("just some text\n", dir)).containsExactly(
          "expected a mapping at the top level with keys monitorId, server, polling, scoring, policies, rules,"
              + " targets, kafka, events, rollback, controller, overload, rollout, state, group, evidence, tracing; got 'just some text'");
      assertThat(errors("- a\n- b\n", dir)).singleElement().asString().endsWith("got a list");
    }

    @Test
    void theFlowStyleNeedsQuotesAroundVariables() {
      assertThat(errors("server: {adminToken: ${VIGIL_ADMIN_TOKEN}}\n", dir)).singleElement().asString()
          .startsWith("not valid YAML at line 1");
    }
  }

  @Nested
  class DuplicateKeys {
    @Test
    void aKeyGivenTwiceIsNamedWithItsPathAndLine() {
      assertThat(errors("monitorId: a\nmonitorId: b\n" + MINIMAL, dir))
          .containsExactly("monitorId: duplicate key (line 2)");
    }

    @Test
    void nestedDuplicatesAreAllReported() {
      String yaml = """
          polling:
            retries: 1
            retries: 2
          targets:
            - service: auth-service
              environment: green
              environment: blue
              url: http://127.0.0.1:8000
              keys:
                - file: ed1.pub.pem
                  file: ed2.pub.pem
          """;
      assertThat(errors(yaml, dir)).containsExactly(
          "polling.retries: duplicate key (line 3)",
          "targets[0].environment: duplicate key (line 7)",
          "targets[0].keys[0].file: duplicate key (line 11)");
    }

    @Test
    void theSameKeyInDifferentMappingsIsFine() {
      assertThat(errors(MINIMAL + MINIMAL.substring(MINIMAL.indexOf("  - service")).replace("green", "blue"), dir))
          .isEmpty();
    }
  }

  @Nested
  class Unsupported {
    @Test
    void aliasesAreRefusedRatherThanReadAsTheirName() {
      String yaml = """
          polling: &p {retries: 1}
          scoring: *p
          """ + MINIMAL;
      assertThat(errors(yaml, dir)).containsExactly(
          "scoring: YAML aliases (*p) are not supported; write the value out (line 2)");
    }

    @Test
    void aSecondDocumentIsRefused() {
      assertThat(errors(MINIMAL + "---\nmonitorId: other\n", dir))
          .containsExactly("a second YAML document at line 8; a configuration is one document");
    }

    @Test
    void yamlSpecialFloatsAreNotValidYaml() {
      assertThat(errors("polling: {jitter: .nan}\n" + MINIMAL, dir)).singleElement().asString()
          .startsWith("not valid YAML at line 1");
    }
  }
}
