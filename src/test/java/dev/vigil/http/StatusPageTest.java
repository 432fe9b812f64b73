package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Verdict;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The status page as a pure function of what the monitor shows. */
class StatusPageTest {
  private static final Instant NOW = Instant.parse("2026-12-01T02:49:29Z");
  private static final TargetStatus TARGET = new TargetStatus(new TargetId("auth-service", "green"),
      "https://auth:8000", "attestation", Verdict.COMPLIANT, "ok", true, true, NOW, NOW, 1.0, 3, List.of());

  private static String page(List<String> relaxed) {
    return StatusPage.render("monitor-0", List.of(TARGET), Map.of("green", 1.0), false, false, relaxed, List.of(),
        NOW, 5);
  }

  @Nested
  class WeakenedVerification {
    @Test
    void everyWeakeningIsNamedInABanner() {
      String html = page(List.of("target auth-service/green: TLS hostname verification is off",
          "kafka client vigil-m0: broker hostname verification is off"));
      assertThat(html).contains("Verification weakened by configuration")
          .contains("<li>target auth-service/green: TLS hostname verification is off</li>")
          .contains("<li>kafka client vigil-m0: broker hostname verification is off</li>");
    }

    @Test
    void noBannerWhenNothingIsWeakened() {
      assertThat(page(List.of())).doesNotContain("Verification weakened");
    }

    @Test
    void theTextIsEscaped() {
      assertThat(page(List.of("target <script>alert(1)</script>/green: off")))
          .doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
    }
  }
}
