package dev.vigil.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON of a group member's API: the {@code group} object added to {@code /api/v1/targets} (name,
 * shard count, the shards this instance owns) and the body of {@code /api/v1/fleet} (that object,
 * the fleet scores and every target of the state topic with its shard and owner). Target fields
 * reuse {@code /api/v1/targets}' names; breaches use events-v1's. Thread-safe.
 */
final class FleetJson {
  private FleetJson() {}

  /** {@code {"name", "shards", "owned": [..], "monitor"}}. */
  static ObjectNode group(GroupView g) {
    ObjectNode o = ApiJson.MAPPER.createObjectNode();
    o.put("name", g.name());
    o.put("shards", g.shards());
    ArrayNode owned = o.putArray("owned");
    g.owned().forEach(owned::add);
    o.put("monitor", g.monitorId());
    return o;
  }

  /** {@code targets} with a {@code group} object when this instance is a group member; as is otherwise. */
  static ObjectNode withGroup(ObjectNode targets, GroupView g) {
    if (g != null) {
      targets.set("group", group(g));
    }
    return targets;
  }

  /** The fleet-wide view: the group, whether the state topic was read to its end, fleet scores, owners, targets. */
  static ObjectNode fleet(GroupView g) {
    ObjectNode root = ApiJson.MAPPER.createObjectNode();
    root.set("group", group(g));
    root.put("takenAt", ApiJson.time(g.takenAt()));
    root.put("caughtUp", g.caughtUp());
    ObjectNode scores = root.putObject("fleetComplianceScore");
    g.fleetScores().forEach(scores::put);
    ObjectNode owners = root.putObject("owners");
    g.owners().forEach(owners::put);
    ArrayNode arr = root.putArray("targets");
    for (GroupView.FleetTarget t : g.targets()) {
      ObjectNode o = arr.addObject();
      o.put("service", t.id().service());
      o.put("environment", t.id().environment());
      o.put("shard", t.shard());
      o.put("owner", t.owner());
      o.put("here", t.here());
      o.put("savedAt", ApiJson.time(t.savedAt()));
      o.put("verdict", t.verdict() == null ? null : t.verdict().label());
      o.put("checkedAt", ApiJson.time(t.verdictAt()));
      if (t.score() == null) {
        o.putNull("complianceScore");
      } else {
        o.put("complianceScore", t.score());
      }
      ArrayNode open = o.putArray("openBreaches");
      t.openBreaches().forEach(b -> open.add(ApiJson.breach(b, t.owner())));
    }
    return root;
  }

  /** The error body of {@code /api/v1/fleet} on a monitor that is not a group member. */
  static ObjectNode noGroup() {
    return ApiJson.error("this monitor is not a group member (no group in its configuration): /api/v1/targets is the"
        + " whole fleet");
  }
}
