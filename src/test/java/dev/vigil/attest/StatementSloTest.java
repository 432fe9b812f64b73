package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Statement.Slo} reads as the record of three {@code Double}s it replaced. */
class StatementSloTest {
  @Test
  void absentFieldsReadBackAsNullAndValuesAsGiven() {
    Statement.Slo slo = new Statement.Slo(180.5, null, 0.0);
    assertThat(slo.p95LatencyMs()).isEqualTo(180.5);
    assertThat(slo.requestsPerSecond()).isNull();
    assertThat(slo.errorRate()).isEqualTo(0.0);
    assertThat(slo).hasToString("Slo[p95LatencyMs=180.5, requestsPerSecond=null, errorRate=0.0]");
  }

  @Test
  void equalityAndHashAreByValue() {
    assertThat(new Statement.Slo(1.0, 2.0, null)).isEqualTo(new Statement.Slo(1.0, 2.0, null))
        .hasSameHashCodeAs(new Statement.Slo(1.0, 2.0, null))
        .isNotEqualTo(new Statement.Slo(1.0, 2.0, 0.0))
        .isNotEqualTo(new Statement.Slo(1.0, null, null));
    assertThat(new Statement.Slo(-0.0, null, null)).isNotEqualTo(new Statement.Slo(0.0, null, null));
  }

  @Test
  void aSignedPayloadRoundTripKeepsItsFigures() throws Exception {
    Statement.Slo slo = new Statement.Slo(12.5, null, 0.001);
    Statement st = new Statement("s", null, "s", "green", "cdd01ef066bc6cf2", Statement.ACTIVE, "n",
        java.time.Instant.parse("2026-12-01T00:00:00Z"), null, 1L, slo);
    assertThat(Statement.parse(st.toJson()).slo()).isEqualTo(slo);
  }
}
