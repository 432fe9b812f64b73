package dev.vigil.group;

import dev.vigil.score.TargetId;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a target lives in a group: shard = {@code murmur2(service + "/" + environment) mod shards},
 * with Kafka's own partitioner hash ({@link Utils#murmur2}, {@link Utils#toPositive}) over the UTF-8
 * bytes, so that any Kafka tool hashing that key to {@code shards} partitions agrees. Stateless.
 */
public final class Shards {
  private Shards() {}

  /** The shard of {@code id} among {@code shards}. */
  public static int of(TargetId id, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    return Utils.toPositive(Utils.murmur2(key(id))) % shards;
  }

  /** The bytes hashed: {@code service/environment} in UTF-8 (also the state topic's key). */
  static byte[] key(TargetId id) {
    return (id.service() + "/" + id.environment()).getBytes(StandardCharsets.UTF_8);
  }

  /** The targets of the shards {@code owned} (a copy is kept). */
  public static Predicate<TargetId> in(Set<Integer> owned, int shards) {
    Set<Integer> copy = Set.copyOf(owned);
    return id -> copy.contains(of(id, shards));
  }
}
