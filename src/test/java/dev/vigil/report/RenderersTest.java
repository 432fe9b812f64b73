package dev.vigil.report;

import static dev.vigil.report.EvidenceFixture.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderers on the reference evidence: the JSON shape pinned, Markdown content and escaping. */
class RenderersTest {
  @TempDir Path dir;
  Report report;

  @BeforeEach
  void build() throws Exception {
    byte[] note = EvidenceFixture.reference().write(dir);
    EvidenceSource.Loaded l = EvidenceSource.fromDir(dir, note, EvidenceFixture.MONITOR_KEY.publicKey());
    report = ReportBuilder.build(l.entries(), l.checkpoint(), ReportBuilderTest.FROM, ReportBuilderTest.TO, null,
        Duration.ofHours(2), ReportBuilderTest.NOW);
  }

  static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
      out.add(it.next());
    }
    return out;
  }

  @Nested
  class Json {
    JsonNode root;

    @BeforeEach
    void parse() throws Exception {
      root = new ObjectMapper().readTree(JsonReport.render(report));
    }

    @Test
    void theDocumentedShape() {
      assertThat(fields(root)).containsExactly("format", "period", "asOf", "service", "staleAfterSeconds", "checkpoint",
          "log", "fleet", "objectives", "services", "notes");
      assertThat(fields(root.get("period"))).containsExactly("from", "to", "seconds");
      assertThat(fields(root.get("checkpoint"))).containsExactly("origin", "size", "root", "signature", "keyId",
          "signatureLines", "entriesAfter");
      assertThat(fields(root.get("log"))).containsExactly("first", "last", "entries", "entriesInPeriod");
      assertThat(fields(root.get("fleet"))).containsExactly("targets", "targetSeconds", "coveredSeconds", "coveragePct",
          "compliancePct", "availabilityPct", "breachSeconds", "worstP95LatencyMs", "requestsPerSecondSum");
      assertThat(fields(root.get("objectives").get(0))).containsExactly("id", "rule", "figure", "unit", "status", "basis");
      JsonNode a = root.get("services").get(0);
      assertThat(fields(a)).containsExactly("service", "environment", "coveredSeconds", "coveragePct", "compliancePct",
          "availabilityPct", "breachSeconds", "verdictSeconds", "timeline", "breaches", "rollbacks", "hashes", "slo",
          "evidence", "notes");
      assertThat(fields(a.get("timeline").get(0))).containsExactly("from", "to", "verdict");
      assertThat(fields(a.get("breaches").get(0))).containsExactly("breachId", "rule", "verdict", "opened", "resolved",
          "durationSeconds", "openAtEnd");
      assertThat(fields(a.get("rollbacks").get(0))).containsExactly("time", "outcome", "breachId", "detail");
      assertThat(fields(a.get("hashes").get(0))).containsExactly("hash", "count", "first", "last");
      assertThat(fields(a.get("slo"))).containsExactly("p95LatencyMs", "requestsPerSecond", "errorRate");
      assertThat(fields(a.get("slo").get("p95LatencyMs"))).containsExactly("n", "min", "median", "max");
      assertThat(fields(a.get("evidence"))).containsExactly("byKind", "withEnvelope", "unreadableEnvelopes");
      assertThat(fields(a.get("evidence").get("byKind"))).containsExactly("verdict", "breach.opened", "breach.resolved",
          "rollback.finished");
    }

    @Test
    void valuesInTheirUnits() {
      assertThat(root.get("format").asText()).isEqualTo("vigil-report/1");
      assertThat(root.get("period").get("seconds").asDouble()).isEqualTo(36000.0);
      assertThat(root.get("checkpoint").get("signature").asText()).isEqualTo("verified");
      assertThat(root.get("checkpoint").get("size").asLong()).isEqualTo(14);
      JsonNode a = root.get("services").get(0);
      assertThat(a.get("service").asText()).isEqualTo("svc-a");
      assertThat(a.get("compliancePct").asDouble()).isEqualTo(75.0);
      assertThat(a.get("coveredSeconds").asDouble()).isEqualTo(28800.0);
      assertThat(a.get("breaches").get(0).get("durationSeconds").asDouble()).isEqualTo(3600.0);
      assertThat(a.get("slo").get("requestsPerSecond").get("median").asDouble()).isEqualTo(675.0);
      assertThat(root.get("objectives").get(0).get("status").asText()).isEqualTo("not_met");
      assertThat(root.get("service").isNull()).isTrue();
    }
  }

  @Nested
  class Markdown {
    @Test
    void holdsTheFiguresAndTheCheckpoint() {
      String md = MarkdownReport.render(report);
      assertThat(md).contains("| origin | `vigil.dev/monitor-0` |", "| size | 14 entries |",
          "verified with the monitor key " + EvidenceFixture.MONITOR_KEY.publicKey().keyId(),
          "| compliance | 75.000 % |", "| availability | 87.500 % |", "| time in breach | 1 h |",
          "| p95 latency ms (min / median / max) | 120 / 175 / 300 (n=4) |",
          "`b-svc-a-green-hash_integrity-20261126T020000Z` | `hash_integrity` | 2026-11-26T02:00:00Z | 2026-11-26T03:00:00Z | 1 h |",
          "| compliance &gt; 95 % | 88.889 % | NOT MET |", "`deadbeefdeadbeef` | 1 |");
    }

    @Test
    void hostileStringsCannotAddStructure() {
      assertThat(MarkdownReport.code("a`|<script>\n# x")).isEqualTo("`a\u2032\u2223\u2039script\u203a # x`");
      assertThat(MarkdownReport.text("*[x](javascript:1)* & <b>|"))
          .isEqualTo("\\*\\[x\\](javascript:1)\\* &amp; &lt;b&gt;\\|");
    }

    @Test
    void anEmptyPeriodSaysSo() {
      Report empty = ReportBuilder.build(List.of(), report.checkpoint(), at("2026-11-20T00:00:00Z"),
          at("2026-11-21T00:00:00Z"), null, Duration.ofHours(2), ReportBuilderTest.NOW);
      assertThat(MarkdownReport.render(empty)).contains("**Partial or empty evidence:**", "no evidence at all",
          "| compliance &gt; 95 % | no evidence | no evidence |").doesNotContain("100.000 %");
    }
  }
}
