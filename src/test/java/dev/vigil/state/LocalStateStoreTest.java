package dev.vigil.state;

import static dev.vigil.state.StateFixtures.A;
import static dev.vigil.state.StateFixtures.B;
import static dev.vigil.state.StateFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.recordlog.RecordLog;
import dev.vigil.score.TargetId;
import dev.vigil.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store on a real record log in a temporary directory. */
class LocalStateStoreTest {
  @TempDir Path dir;
  final ManualClock clock = new ManualClock(NOW);

  @Nested
  class Durability {
    @Test
    void whatWasSavedIsLoadedAfterReopeningTheLastSaveOfATargetWinning() throws Exception {
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        s.save(List.of(StateFixtures.empty(A, NOW, 1), StateFixtures.empty(B, NOW, 1)));
        s.save(List.of(StateFixtures.empty(A, NOW.plusSeconds(5), 2)));
      }
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        assertThat(s.source()).isEqualTo("local");
        assertThat(s.load(id -> true)).containsOnlyKeys(A, B);
        assertThat(s.load(List.of(A)).get(A)).isEqualTo(StateFixtures.empty(A, NOW.plusSeconds(5), 2));
      }
    }

    @Test
    void aDroppedTargetStaysDroppedAfterReopening() throws Exception {
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        s.save(List.of(StateFixtures.empty(A, NOW, 1), StateFixtures.empty(B, NOW, 1)));
        s.drop(List.of(A));
        assertThat(s.load(id -> true)).containsOnlyKeys(B);
      }
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        assertThat(s.load(Set.of(A, B))).containsOnlyKeys(B);
      }
    }

    @Test
    void theFileIsCompactedWhenMostOfItIsObsolete() throws Exception {
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        for (int round = 0; round < 300; round++) {
          List<TargetSnapshot> batch = new ArrayList<>();
          for (int t = 0; t < 100; t++) {
            batch.add(StateFixtures.empty(new TargetId("service-" + t, "green"), NOW.plusSeconds(round), round));
          }
          s.save(batch);
        }
        long[] sizes = s.sizes();
        assertThat(sizes[0]).as("file bytes").isLessThanOrEqualTo(Math.max(2 * sizes[1], LocalStateStore.COMPACT_MIN_BYTES));
        assertThat(s.load(id -> true)).hasSize(100)
            .allSatisfy((id, snap) -> assertThat(snap.lastSequence()).isEqualTo(299L));
      }
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        assertThat(s.load(id -> true)).hasSize(100);
      }
    }
  }

  @Nested
  class Refusal {
    @Test
    void aRecordOfAnUnknownVersionRefusesToOpenNamingFileAndOffsetAndLeavesTheFileAsItWas() throws Exception {
      try (LocalStateStore s = LocalStateStore.open(dir, clock)) {
        s.save(List.of(StateFixtures.empty(A, NOW, 1)));
      }
      Path file = dir.resolve(LocalStateStore.FILE);
      long offset = Files.size(file);
      byte[] future = SnapshotCodec.encode(StateFixtures.empty(B, NOW, 1));
      future[0] = 2;
      try (RecordLog log = RecordLog.open(file, LocalStateStore.MAX_RECORD, (o, p) -> {})) {
        log.append(future);
      }
      byte[] before = Files.readAllBytes(file);
      assertThatThrownBy(() -> LocalStateStore.open(dir, clock)).isInstanceOf(StateFormatException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("at byte " + offset)
          .hasMessageContaining("format version 2 is unknown");
      assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }
  }
}
