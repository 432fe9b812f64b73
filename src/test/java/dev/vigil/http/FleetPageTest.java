package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.Severity;
import dev.vigil.score.TargetId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A group member's pages and API: its shards, the whole fleet with each target's owner, escaping, bounds. */
class FleetPageTest {
  static final TargetId A = new TargetId("auth-service", "green");
  static final TargetId B = new TargetId("integrity-service", "green");

  static GroupView view(List<GroupView.FleetTarget> targets, List<Integer> owned) {
    return new GroupView("vigil", 8, owned, "m0", PageFixtures.NOW, true, Map.of("green", 0.75), targets);
  }

  static GroupView.FleetTarget target(TargetId id, int shard, String owner, boolean here, List<Breach> open) {
    return new GroupView.FleetTarget(id, shard, owner, here, PageFixtures.NOW.minusSeconds(2), Verdict.COMPLIANT,
        PageFixtures.NOW.minusSeconds(3), 1.0, open);
  }

  static Breach breach(TargetId id) {
    return new Breach("b-" + id.service(), id, "hash_mismatch", Severity.CRITICAL, Verdict.HASH_MISMATCH, "x", "y", 0,
        60, 1, PageFixtures.NOW.minusSeconds(30), null);
  }

  static GroupView twoOwners() {
    return view(List.of(target(A, 0, "m0", true, List.of()), target(B, 5, "m1", false, List.of(breach(B)))),
        List.of(0, 1, 2, 4));
  }

  @Nested
  class StatusPageSection {
    @Test
    void showsTheShardsOwnedTheFleetScoresTheOwnersAndTheFleetsOpenBreaches() {
      MonitorSnapshot s = PageFixtures.snapshot("m0", List.of(PageFixtures.target(A, Verdict.COMPLIANT, "", 1.0,
          List.of())), List.of(), List.of(), false, List.of());
      String html = StatusPage.render(s, new PollHistory(), TrafficView.none().snapshot(), 5, twoOwners());
      assertThat(html).contains("Group <code>vigil</code>").contains("owns 4 of 8 shards")
          .contains("<span class=\"shards\">0–2, 4</span>").contains("fleet score <b>green</b> 75.0 %")
          .contains("<code>m0</code> 1, <code>m1</code> 1").contains("href=\"/fleet\"")
          .contains("data-breach-id=\"b-integrity-service\"").contains("<code>m1</code></td>");
      assertThat(StatusPage.parts(s, new PollHistory(), TrafficView.none().snapshot(), twoOwners()).get("group").asText())
          .isEqualTo(FleetPage.section(twoOwners()));
      assertThat(StatusPage.render(s, new PollHistory(), 5)).as("no group, no section").doesNotContain("id=\"group\"");
      assertThat(StatusPage.parts(s, new PollHistory()).has("group")).isFalse();
    }

    @Test
    void anInstanceWithoutShardsSaysItPollsNothing() {
      assertThat(FleetPage.section(view(List.of(), List.of()))).contains("owns 0 of 8 shards (none: it polls nothing")
          .contains("none yet");
    }

    @Test
    void shardRanges() {
      assertThat(FleetPage.shardList(List.of())).isEmpty();
      assertThat(FleetPage.shardList(List.of(3))).isEqualTo("3");
      assertThat(FleetPage.shardList(List.of(0, 1, 2, 3, 7, 8, 10))).isEqualTo("0–3, 7, 8, 10");
    }
  }

  @Nested
  class FleetPageItself {
    @Test
    void everyTargetWithShardOwnerAndALinkOnlyForOurOwn() {
      String html = FleetPage.render(twoOwners(), 5);
      assertThat(html).contains("data-target=\"auth-service/green\" data-owner=\"m0\"")
          .contains("data-target=\"integrity-service/green\" data-owner=\"m1\"")
          .contains("<a href=\"/targets/auth-service/green\">").doesNotContain("href=\"/targets/integrity-service")
          .contains("(this instance)").contains("▲ breach open");
      assertThat(FleetPage.parts(twoOwners()).get("fleet").asText()).isEqualTo(FleetPage.table(twoOwners()));
    }

    @Test
    void isBoundedAndPointsToTheApiForTheRest() {
      List<GroupView.FleetTarget> many = new ArrayList<>();
      for (int i = 0; i < FleetPage.ROWS + 10; i++) {
        many.add(target(new TargetId(String.format("svc-%05d", i), "green"), i % 8, null, false, List.of()));
      }
      String html = FleetPage.render(view(many, List.of()), 5);
      assertThat(html.split("<tr class=", -1)).hasSize(FleetPage.ROWS + 1);
      assertThat(html).contains("The first " + FleetPage.ROWS + " of " + (FleetPage.ROWS + 10))
          .contains("<small>unknown</small>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='x"})
    void ownersAndNamesFromTheStateTopicAreEscaped(String evil) {
      TargetId id = new TargetId("svc-" + evil, "env-" + evil);
      GroupView g = new GroupView("g", 8, List.of(1), "me-" + evil, PageFixtures.NOW, true, Map.of("env-" + evil, 1.0),
          List.of(target(id, 1, "owner-" + evil, false, List.of(breach(id)))));
      for (String html : List.of(FleetPage.render(g, 5), FleetPage.section(g))) {
        assertThat(html).doesNotContain(evil).doesNotContain("<img");
      }
    }
  }

  @Nested
  class Api {
    @Test
    void targetsCarryTheGroupAndTheFleetEndpointEveryTargetWithItsOwner() throws Exception {
      MonitorSnapshot s = PageFixtures.snapshot("m0", List.of(), List.of(), List.of(), false, List.of());
      JsonNode targets = ApiJson.MAPPER.readTree(FleetJson.withGroup(ApiJson.targets(s), twoOwners()).toString());
      assertThat(targets.get("group").toString())
          .isEqualTo("{\"name\":\"vigil\",\"shards\":8,\"owned\":[0,1,2,4],\"monitor\":\"m0\"}");
      assertThat(FleetJson.withGroup(ApiJson.targets(s), null).has("group")).isFalse();

      JsonNode fleet = ApiJson.MAPPER.readTree(FleetJson.fleet(twoOwners()).toString());
      assertThat(fleet.get("caughtUp").asBoolean()).isTrue();
      assertThat(fleet.get("fleetComplianceScore").get("green").asDouble()).isEqualTo(0.75);
      assertThat(fleet.get("owners").toString()).isEqualTo("{\"m0\":1,\"m1\":1}");
      JsonNode b = fleet.get("targets").get(1);
      assertThat(b.get("service").asText()).isEqualTo("integrity-service");
      assertThat(b.get("shard").asInt()).isEqualTo(5);
      assertThat(b.get("owner").asText()).isEqualTo("m1");
      assertThat(b.get("here").asBoolean()).isFalse();
      assertThat(b.get("verdict").asText()).isEqualTo("compliant");
      assertThat(b.get("openBreaches").get(0).get("breachId").asText()).isEqualTo("b-integrity-service");
      assertThat(b.get("openBreaches").get(0).get("monitor").asText()).isEqualTo("m1");
    }
  }
}
