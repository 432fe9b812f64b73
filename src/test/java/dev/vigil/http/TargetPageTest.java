package dev.vigil.http;

import static dev.vigil.http.PageFixtures.breach;
import static dev.vigil.http.PageFixtures.polls;
import static dev.vigil.http.PageFixtures.snapshot;
import static dev.vigil.http.PageFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A target's page, its charts and its badges. */
class TargetPageTest {
  private static final TargetId AUTH = new TargetId("auth-service", "green");
  private static final String KEY = "a".repeat(64);

  private static MonitorSnapshot one(TargetStatus t, List<Breach> resolved) {
    return snapshot("m", List.of(t), t.openBreaches(), resolved, false, List.of());
  }

  @Nested
  class Page {
    @Test
    void chartsKeysSignerAndBreaches() {
      PollHistory h = new PollHistory();
      h.keys(AUTH, List.of(new PollHistory.KeyInfo(KEY, "ecdsa-sha2-nistp256", null, Instant.parse("2027-01-01T00:00:00Z"), false),
          new PollHistory.KeyInfo("b".repeat(64), "ed25519", null, null, true)));
      polls(h, AUTH, 30, Verdict.COMPLIANT, "ok", List.of(KEY));
      Breach open = breach(AUTH, "compliance_score", Verdict.COMPLIANT, "0.5", "0.95", null);
      Breach old = breach(AUTH, "hash_mismatch", Verdict.HASH_MISMATCH, "dead", "cdd0", PageFixtures.NOW.minusSeconds(5));
      String html = TargetPage.render(one(target(AUTH, Verdict.COMPLIANT, "ok", 0.9, List.of(open)), List.of(old)), h, AUTH, 5);
      assertThat(html).contains("Open breaches (1)").contains("Recently resolved breaches (1)")
          .contains("<code>" + KEY + "</code>").contains("ecdsa-sha2-nistp256").contains("✓ always until 2027-01-01 00:00:00Z")
          .contains("✗ revoked").contains("signed by <code>" + KEY + "</code>").contains("✓ yes")
          .contains("traffic weight").contains("unknown");
      assertThat(paths(html)).hasSize(2).allSatisfy(d -> assertThat(d).startsWith("M").contains("L"));
      assertThat(html.split("<rect class=\"f-ok\"", -1)).hasSize(31);
    }

    @Test
    void anUnknownTargetHasNoPage() {
      assertThat(TargetPage.render(one(target(AUTH, Verdict.COMPLIANT, "ok", 1.0, List.of()), List.of()), new PollHistory(),
          new TargetId("nope", "green"), 5)).isNull();
    }

    @Test
    void aScoreGapBreaksTheLine() {
      PollHistory h = new PollHistory();
      polls(h, AUTH, 3, Verdict.COMPLIANT, "ok", List.of());
      String html = TargetPage.render(one(target(AUTH, Verdict.COMPLIANT, "ok", 1.0, List.of()), List.of()), h, AUTH, 5);
      assertThat(paths(html).get(0)).matches("M[0-9.]+ [0-9.]+(L[0-9.]+ [0-9.]+){2}");
    }
  }

  @Nested
  class Badges {
    @Test
    void theVerdictBadgeNamesTheTargetVerdictAndAnOpenBreach() throws Exception {
      Breach open = breach(AUTH, "hash_mismatch", Verdict.HASH_MISMATCH, "dead", "cdd0", null);
      String svg = Badge.verdict(target(AUTH, Verdict.HASH_MISMATCH, "x", 0.5, List.of(open)));
      Svg.parse(svg);
      assertThat(svg).contains(">auth-service/green<").contains(">hash_mismatch, breach open<").contains("#a50e0e");
    }

    @Test
    void theScoreBadgeIsAPercentage() throws Exception {
      String svg = Badge.score(target(AUTH, Verdict.COMPLIANT, "ok", 0.987, List.of()));
      Svg.parse(svg);
      assertThat(svg).contains(">98.7%<").contains("#137333");
    }
  }

  /** The {@code d} of every path in {@code html}. */
  static List<String> paths(String html) {
    Matcher m = Pattern.compile("<path d=\"([^\"]*)\"").matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
