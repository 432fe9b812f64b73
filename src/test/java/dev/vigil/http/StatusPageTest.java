package dev.vigil.http;

import static dev.vigil.http.PageFixtures.NOW;
import static dev.vigil.http.PageFixtures.breach;
import static dev.vigil.http.PageFixtures.polls;
import static dev.vigil.http.PageFixtures.snapshot;
import static dev.vigil.http.PageFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The status page as a pure function of what the monitor shows. */
class StatusPageTest {
  private static final TargetId AUTH = new TargetId("auth-service", "green");
  private static final TargetId INTEGRITY = new TargetId("integrity-service", "green");

  private static String page(List<TargetStatus> targets, List<Breach> open, boolean partitioned, List<String> relaxed) {
    return StatusPage.render(snapshot("monitor-0", targets, open, List.of(), partitioned, relaxed), new PollHistory(), 5);
  }

  /** The page of AUTH alone, with no breach. */
  private static String alone(Verdict v, String detail, boolean partitioned) {
    return page(List.of(target(AUTH, v, detail, 1.0, List.of())), List.of(), partitioned, List.of());
  }

  /** The page of one target whose last verdict is {@code v}, with breach {@code b} open. */
  private static String breached(TargetId id, Verdict v, Breach b) {
    return page(List.of(target(id, v, "detail", 0.5, List.of(b))), List.of(b), false, List.of());
  }

  @Nested
  class Attention {
    @Test
    void openBreachesComeBeforeTheGridWithALinkToTheTarget() {
      Breach b = breach(INTEGRITY, "hash_mismatch", Verdict.HASH_MISMATCH, "deadbeefdeadbeef", "cdd01ef066bc6cf2", null);
      String html = breached(INTEGRITY, Verdict.HASH_MISMATCH, b);
      int attention = html.indexOf("id=\"attention\"");
      assertThat(attention).isPositive().isLessThan(html.indexOf("class=\"grid\""));
      assertThat(html.substring(attention, html.indexOf("class=\"grid\"")))
          .contains("1 open breach").contains("<a href=\"/targets/integrity-service/green\">integrity-service</a>")
          .contains("hash_mismatch").contains("critical").contains("deadbeefdeadbeef").contains("cdd01ef066bc6cf2")
          .contains("2026-12-01 02:48:47Z").contains("42 s ago").contains("data-breach-id=\"" + b.breachId() + "\"")
          .doesNotContain("All ");
    }

    @Test
    void aCalmLineWhenNothingNeedsAttention() {
      String html = alone(Verdict.COMPLIANT, "ok", false);
      assertThat(html).contains("✓ All 1 targets compliant.").doesNotContain("open breach");
    }

    @Test
    void thePartitionBannerInsteadOfTheCalmLine() {
      String html = alone(Verdict.UNREACHABLE, "refused", true);
      assertThat(html).contains("Monitor partitioned").doesNotContain("class=\"calm\"");
    }

    @Test
    void everyWeakeningIsNamedInABanner() {
      String html = page(List.of(), List.of(), false, List.of("target auth-service/green: TLS hostname verification is off"));
      assertThat(html).contains("Verification weakened by configuration")
          .contains("<li>target auth-service/green: TLS hostname verification is off</li>");
    }
  }

  @Nested
  class Grid {
    @Test
    void aCompliantCellWithAnOpenBreachIsGreenWithASeparateMarker() {
      Breach b = breach(AUTH, "compliance_score", Verdict.COMPLIANT, "0.5", "0.95", null);
      assertThat(breached(AUTH, Verdict.COMPLIANT, b)).contains("class=\"cell f-ok\"").contains("✓</span> compliant").contains("▲ breach open")
          .doesNotContain("cell f-integrity");
    }

    @Test
    void unreachableSaysUnreachableInTheAvailabilityFamily() {
      assertThat(alone(Verdict.UNREACHABLE, "connection refused", false)).contains("class=\"cell f-availability\"").contains("⚠</span> unreachable</a>")
          .doesNotContain("unsigned");
    }

    @Test
    void timesAreSecondsInUtcWithoutNanos() {
      assertThat(alone(Verdict.COMPLIANT, "ok", false)).contains("2026-12-01 02:49:29Z").doesNotContain(".123456789");
    }

    @Test
    void theStripShowsTheLastSixtyPollsTitledWithTimeVerdictAndDetail() {
      PollHistory h = new PollHistory();
      polls(h, AUTH, 100, Verdict.COMPLIANT, "all good", List.of());
      polls(h, AUTH, 1, Verdict.HASH_MISMATCH, "hash deadbeef", List.of());
      String html = StatusPage.grid(snapshot("m", List.of(target(AUTH, Verdict.HASH_MISMATCH, "x", 0.9, List.of())),
          List.of(), List.of(), false, List.of()), h);
      assertThat(html.split("<i class=", -1)).hasSize(PollHistory.STRIP + 1);
      assertThat(html).contains("aria-label=\"last 60 polls: 59 compliant, 1 not\"")
          .contains("title=\"2026-12-01 02:49:29Z hash_mismatch: hash deadbeef\"")
          .endsWith("<i class=\"f-integrity\" title=\"2026-12-01 02:49:29Z hash_mismatch: hash deadbeef\"></i></div></td></tr></tbody></table>");
    }

    @Test
    void aLargeFleetLeavesTheStripsToTheTargetPages() {
      PollHistory h = new PollHistory();
      List<TargetStatus> many = new java.util.ArrayList<>();
      for (int i = 0; i <= StatusPage.STRIPS_UP_TO; i++) {
        TargetId id = new TargetId("service-" + i, "green");
        many.add(target(id, Verdict.COMPLIANT, "ok", 1.0, List.of()));
        polls(h, id, 60, Verdict.COMPLIANT, "signed by 1 trusted key, hash cdd01ef066bc6cf2, status active", List.of());
      }
      String grid = StatusPage.grid(snapshot("m", many, List.of(), List.of(), false, List.of()), h);
      assertThat(grid).doesNotContain("class=\"strip\"").contains("history strips are shown for up to 200 targets");
      assertThat(grid.length() / many.size()).as("bytes per target").isLessThan(600);
      String small = StatusPage.grid(snapshot("m", many.subList(0, 10), List.of(), List.of(), false, List.of()), h);
      assertThat(small.split("class=\"strip\"", -1)).hasSize(11);
    }

    @Test
    void theJsonPartsAreThePageSections() throws Exception {
      MonitorSnapshot s = snapshot("m", List.of(target(AUTH, Verdict.COMPLIANT, "ok", 1.0, List.of())), List.of(), List.of(),
          false, List.of());
      JsonNode j = ApiJson.MAPPER.readTree(StatusPage.parts(s, new PollHistory()).toString());
      String html = StatusPage.render(s, new PollHistory(), 5);
      assertThat(j.get("generatedAt").asText()).isEqualTo(NOW.toString());
      for (String part : List.of("summary", "attention", "grid")) {
        assertThat(html).contains(j.get(part).asText());
      }
    }
  }

  @Nested
  class Script {
    @Test
    void theOnlyScriptIsTheInlineOneThePolicyAllowsByHash() throws Exception {
      String html = page(List.of(), List.of(), false, List.of());
      assertThat(html.split("<script", -1)).hasSize(2);
      assertThat(html).contains("<script>" + PageAssets.SCRIPT + "</script>").doesNotContain("src=\"http");
      String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
          .digest(PageAssets.SCRIPT.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(PageAssets.CSP).contains("script-src 'sha256-" + hash + "'").contains("default-src 'none'");
    }

    @Test
    void withoutJavaScriptThePageStillRefreshes() {
      assertThat(page(List.of(), List.of(), false, List.of()))
          .contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>");
    }
  }
}
