/**
 * A group of monitors on Kafka: several instances with one configuration share the fleet. Each is a
 * member ({@link dev.vigil.group.GroupMember}) of the Kafka consumer group {@code group.name} on the
 * topic {@code constitutional.monitor-shards} ({@link dev.vigil.group.ShardTopic}, one partition per
 * shard, cooperative-sticky assignor) and polls the targets of its shards ({@link
 * dev.vigil.group.Shards}: Kafka's murmur2 over {@code service/environment}); {@link
 * dev.vigil.group.MonitorShards} hands assigned, revoked and lost shards to the monitor (restore,
 * flush before handover, stop everything on a lost session). {@link dev.vigil.group.MonitorGroup}
 * adds the fleet-wide view of the status page and API ({@link dev.vigil.group.GroupViews}, from the
 * compacted state topic). Kafka decides membership; Vigil writes no coordination of its own.
 *
 * <p>May depend on: {@code config}, {@code score}, {@code state}, {@code monitor} (the monitor a
 * member restricts), {@code http} (the view's value types), Vert.x and the Kafka clients.
 */
package dev.vigil.group;
