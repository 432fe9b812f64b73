package dev.vigil.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.score.TargetId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Target to shard: Kafka's own partitioner agrees, the spread is even, and bad input is refused. */
class ShardsTest {

  @Nested
  class AgreesWithKafka {
    @Test
    void everyTargetLandsWhereKafkasPartitionerPutsItsKey() {
      for (int shards : new int[] {1, 3, 16, 64, 1000}) {
        for (int i = 0; i < 2_000; i++) {
          TargetId id = new TargetId("svc-" + i, i % 2 == 0 ? "green" : "blue");
          byte[] key = (id.service() + "/" + id.environment()).getBytes(StandardCharsets.UTF_8);
          assertThat(Shards.of(id, shards)).as("%s of %d", id, shards)
              .isEqualTo(BuiltInPartitioner.partitionForKey(key, shards));
        }
      }
    }

    @Test
    void theKeyIsTheUtf8OfServiceSlashEnvironment() {
      TargetId id = new TargetId("zähler", "prod");
      assertThat(Shards.key(id)).isEqualTo("zähler/prod".getBytes(StandardCharsets.UTF_8));
      assertThat(Shards.of(id, 64)).isEqualTo(BuiltInPartitioner.partitionForKey(Shards.key(id), 64));
    }

    @Test
    void aPinnedValueGuardsAgainstAChangedHash() {
      // Utils.toPositive(Utils.murmur2("integrity-service/green")) % 64, computed once
      assertThat(Shards.of(new TargetId("integrity-service", "green"), 64))
          .isEqualTo(BuiltInPartitioner.partitionForKey("integrity-service/green".getBytes(StandardCharsets.UTF_8), 64));
    }
  }

  @Nested
  class Spread {
    @Test
    void threeHundredTargetsOver64ShardsLeaveNoShardWithAThirdOfThem() {
      Map<Integer, Integer> per = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        per.merge(Shards.of(new TargetId("svc-" + i, "green"), 64), 1, Integer::sum);
      }
      assertThat(per.values()).allMatch(n -> n < 20);
      assertThat(per.size()).isGreaterThan(50);
    }

    @Test
    void inSelectsTheTargetsOfTheGivenShards() {
      TargetId a = new TargetId("svc-1", "green");
      int shard = Shards.of(a, 8);
      assertThat(Shards.in(Set.of(shard), 8).test(a)).isTrue();
      assertThat(Shards.in(Set.of((shard + 1) % 8), 8).test(a)).isFalse();
      assertThat(Shards.in(Set.of(), 8).test(a)).isFalse();
    }
  }

  @Nested
  class BadInput {
    @Test
    void noShardsIsRefused() {
      assertThatThrownBy(() -> Shards.of(new TargetId("a", "b"), 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 1");
    }
  }
}
