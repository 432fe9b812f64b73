package dev.vigil.http;

import static dev.vigil.http.PageFixtures.breach;
import static dev.vigil.http.PageFixtures.polls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.events.CloudEvent;
import dev.vigil.events.RollbackFinished;
import dev.vigil.events.RolloutData;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field the pages and badges show, fed with hostile strings (markup, attribute breakouts,
 * very long values): nothing comes out unescaped, long values are clipped where they are free text,
 * and every SVG stays well-formed XML.
 */
class HostileStringsTest {
  private static final String LONG = "x".repeat(100_000);

  @ParameterizedTest
  @ValueSource(strings = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='alert(1)",
      "&amp;<!--", "]]></svg><svg onload=alert(1)>", "\u0000\u001b[31m"})
  void nothingIsShownUnescaped(String evil) throws Exception {
    TargetId id = new TargetId("svc-" + evil, "env-" + evil);
    Breach open = new Breach("b-" + evil, id, "rule-" + evil, dev.vigil.score.Severity.CRITICAL, Verdict.HASH_MISMATCH,
        "obs-" + evil, "exp-" + evil, 0.1, 60, 1, PageFixtures.NOW.minusSeconds(3), null);
    Breach resolved = breach(id, "r-" + evil, Verdict.HASH_MISMATCH, evil, evil, PageFixtures.NOW);
    TargetStatus t = new TargetStatus(id, "https://h/" + evil, "mode-" + evil, Verdict.HASH_MISMATCH, "detail-" + evil,
        false, true, PageFixtures.NOW, PageFixtures.NOW, 0.5, 1, List.of(open));
    MonitorSnapshot s = new MonitorSnapshot("mon-" + evil, PageFixtures.NOW, List.of(t), Map.of("env-" + evil, 0.5), true,
        true, PageFixtures.NOW, Duration.ZERO, Duration.ZERO, List.of(open), List.of(resolved), List.of("relaxed-" + evil));
    PollHistory h = new PollHistory();
    h.keys(id, List.of(new PollHistory.KeyInfo("key-" + evil, "scheme-" + evil, null, null, false)));
    polls(h, id, 3, Verdict.HASH_MISMATCH, "poll-" + evil, List.of("key-" + evil));

    TrafficView traffic = new TrafficView("topic-" + evil, Duration.ofSeconds(15));
    traffic.accept(new CloudEvent("e1", "src", CloudEvent.ROLLBACK_FINISHED, id.service(), PageFixtures.NOW,
        new RollbackFinished("r-" + evil, "b-" + evil, "e-" + evil, id.service(), id.environment(), "to-" + evil,
            RollbackFinished.Status.SUCCEEDED, "detail-" + evil, PageFixtures.NOW, PageFixtures.NOW, 1)));
    traffic.accept(new CloudEvent("e2", "src", CloudEvent.ROLLOUT_STEP, id.service(), PageFixtures.NOW,
        new RolloutData(false, "m-" + evil, id.service(), "to-" + evil, id.environment(), 1, List.of(10, 100), 90,
            "state-" + evil, List.of(new RolloutData.Analysis("check-" + evil, 1, 2, false)), "d-" + evil, null,
            PageFixtures.NOW.plusSeconds(1))));
    traffic.rejected();
    TrafficView.Snapshot ts = traffic.snapshot();
    assertThat(ts.inProgress()).isNotEmpty();

    String status = StatusPage.render(s, h, ts, 5);
    String target = TargetPage.render(s, h, ts, id, 5);
    assertThat(status).contains("rollout in progress").contains(Html.esc("check-" + evil).trim());
    assertThat(target).contains(Html.esc("detail-" + evil).trim()).contains(Html.esc("d-" + evil).trim());
    String parts = StatusPage.parts(s, h, ts).toString() + TargetPage.parts(s, h, ts, id);
    for (String html : List.of(status, target)) {
      assertThat(html).doesNotContain(evil).doesNotContain("<img").doesNotContain("onerror=alert(1)>")
          .doesNotContain("='alert").doesNotContain("\u0000");
      assertThat(html.split("<script", -1)).as("only the page's own script").hasSize(2);
      assertThat(html.split("<svg", -1).length).isEqualTo(html.split("</svg>", -1).length);
      for (String svg : Svg.inline(html)) {
        Svg.parse(svg);
      }
    }
    assertThat(target).contains(Html.esc("key-" + evil).trim()).contains(Html.esc("poll-" + evil).trim());
    assertThat(parts).doesNotContain(evil);
    for (String svg : List.of(Badge.verdict(t), Badge.score(t), Badge.unknown(id.toString()))) {
      assertThat(svg).doesNotContain(evil);
      Svg.parse(svg);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void longFreeTextIsClipped(int resolved) throws Exception {
    TargetId id = new TargetId("auth-service", "green");
    Breach b = breach(id, "hash_mismatch", Verdict.HASH_MISMATCH, LONG, LONG, resolved == 0 ? null : PageFixtures.NOW);
    TargetStatus t = new TargetStatus(id, "https://h", "attestation", Verdict.HASH_MISMATCH, LONG, false, true,
        PageFixtures.NOW, PageFixtures.NOW, 0.5, 1, resolved == 0 ? List.of(b) : List.of());
    MonitorSnapshot s = PageFixtures.snapshot("m", List.of(t), t.openBreaches(), resolved == 0 ? List.of() : List.of(b),
        false, List.of());
    PollHistory h = new PollHistory();
    polls(h, id, 2, Verdict.HASH_MISMATCH, LONG, List.of());
    for (String html : List.of(StatusPage.render(s, h, 5), TargetPage.render(s, h, id, 5))) {
      assertThat(html).doesNotContain("x".repeat(501)).contains("x".repeat(80) + "…");
      assertThat(html.length()).isLessThan(60_000);
    }
    assertThat(Badge.verdict(t).length()).isLessThan(1_000);
  }
}
