package dev.vigil.evidence;

import dev.vigil.attest.DsseVerifier;
import dev.vigil.attest.Envelope;
import dev.vigil.attest.Keys;
import dev.vigil.attest.TrustStore;
import dev.vigil.attest.Verdict;
import dev.vigil.config.KeyConfig;
import dev.vigil.config.TargetConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline check of evidence-v1 section 5: recompute the tree of a log file, check the signed
 * checkpoint (signature by the monitor's key, size, root), optionally the consistency with an older
 * signed checkpoint, and optionally re-verify every stored envelope against the fleet's trusted keys
 * as of the entry's time. The first failure is a {@link Finding} naming the entry index or the proof.
 *
 * <p>What cannot be located: when every entry is well-formed and in order but the root differs, the
 * changed entry is somewhere below the checkpoint's size; one checkpoint does not say where.
 *
 * <p>Reads the file without changing it (safe while a monitor writes it). Not thread-safe per call;
 * the class holds no state.
 */
public final class Audit {
  /** Verdicts under which the monitor itself recorded that the envelope did not verify. */
  private static final Set<String> UNVERIFIED_VERDICTS = Set.of(Verdict.MALFORMED_ENVELOPE.label(),
      Verdict.UNKNOWN_KEY.label(), Verdict.KEY_NOT_VALID.label(), Verdict.SIGNATURE_INVALID.label(),
      Verdict.MALFORMED_STATEMENT.label(), Verdict.RESPONSE_TOO_LARGE.label());

  private Audit() {}

  /** The first failure: {@code index} is the first bad entry, or -1 when a checkpoint or proof failed. */
  public record Finding(long index, String what) {}

  /**
   * What was checked (one line each), and the first failure or null.
   *
   * @param entries entries read from the log
   */
  public record Report(List<String> checked, Finding failure, long entries) {
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * Audits {@code logFile} against {@code checkpointNote} signed by {@code monitorKey}.
   *
   * @param previousNote an older signed checkpoint of the same log, or null
   * @param fleet the fleet's configuration for envelope re-verification, or null
   * @throws IOException when the log file cannot be read
   * @throws IllegalArgumentException when {@code monitorKey} is not an Ed25519 key
   */
  public static Report verify(Path logFile, byte[] checkpointNote, Keys.PublicKeyMaterial monitorKey,
      byte[] previousNote, VigilConfig fleet) throws IOException {
    return verify(scan -> {
      Path dir = logFile.toAbsolutePath().getParent();
      scan.pruned = PrunedPrefix.read(dir, scan.tree::appendLeafHash);
      RecordLog.Recovery rec = RecordLog.read(logFile, EvidenceLog.MAX_ENTRY_BYTES, scan::accept);
      return new Read(rec.corruptRecords(), rec.corruptOffsets(), rec.tailBytes());
    }, checkpointNote, monitorKey, previousNote, fleet);
  }

  /**
   * Audits entries fetched elsewhere (a monitor's section-4 endpoints: one canonical entry per
   * element, from index 0) against {@code checkpointNote} signed by {@code monitorKey}.
   */
  public static Report verifyEntries(List<byte[]> entries, byte[] checkpointNote, Keys.PublicKeyMaterial monitorKey,
      byte[] previousNote, VigilConfig fleet) {
    try {
      return verify(scan -> {
        long at = 0;
        for (byte[] e : entries) {
          scan.accept(at, e);
          at += e.length + 1;
        }
        return new Read(0, List.of(), 0);
      }, checkpointNote, monitorKey, previousNote, fleet);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What reading the entries found besides them. */
  private record Read(long corruptRecords, List<Long> corruptOffsets, long tailBytes) {}

  /** Feeds every entry to the scan. */
  private interface Source {
    Read feed(Scan scan) throws IOException;
  }

  private static Report verify(Source source, byte[] checkpointNote, Keys.PublicKeyMaterial monitorKey,
      byte[] previousNote, VigilConfig fleet) throws IOException {
    List<String> checked = new ArrayList<>();
    SignedCheckpoint.Result opened = open(checkpointNote, monitorKey);
    if (!(opened instanceof SignedCheckpoint.Verified v)) {
      return fail(checked, -1, "checkpoint: " + describe(opened), 0);
    }
    Checkpoint cp = v.checkpoint();
    checked.add("checkpoint signature: ok (" + cp.origin() + ", key " + monitorKey.keyId().substring(0, 16) + ")");
    Map<String, TrustStore> trust = fleet == null ? null : trustByTarget(fleet);
    Scan scan = new Scan(trust, cp.origin().startsWith(Checkpoint.ORIGIN_PREFIX)
        ? cp.origin().substring(Checkpoint.ORIGIN_PREFIX.length()) : null);
    Read rec = source.feed(scan);
    long n = scan.tree.size();
    if (rec.corruptRecords() > 0) {
      String corrupt = "corrupt record(s) at byte(s) " + rec.corruptOffsets() + " (damaged or edited without its CRC32C)";
      scan.failure = scan.failure == null ? new Finding(n, "entry " + n + ": " + corrupt)
          : new Finding(scan.failure.index(), scan.failure.what() + "; the file has " + corrupt);
    }
    if (scan.failure != null) {
      return fail(checked, scan.failure.index(), scan.failure.what(), n);
    }
    if (scan.pruned > 0) {
      checked.add("pruned prefix: entries 0.." + (scan.pruned - 1) + " summarised by their leaf hashes ("
          + PrunedPrefix.FILE + "); their content is gone");
    }
    checked.add("entries: " + (n - scan.pruned) + " read, indices " + scan.pruned + ".." + (n - 1)
        + " in order, each in canonical form"
        + (rec.tailBytes() > 0 ? " (" + rec.tailBytes() + " bytes of a record still being written ignored)" : ""));
    if (n < cp.size()) {
      return fail(checked, n, "entry " + n + ": missing; the log has " + n + " entries, the checkpoint covers " + cp.size(), n);
    }
    byte[] root = scan.tree.root(cp.size());
    if (!MerkleTree.same(root, cp.root())) {
      return fail(checked, -1, "root: the first " + cp.size() + " entries hash to " + b64(root) + ", the checkpoint signs "
          + b64(cp.root()) + " (an entry below index " + cp.size() + " was changed, removed or inserted)", n);
    }
    checked.add("root of the first " + cp.size() + " entries: matches the checkpoint" + (n > cp.size()
        ? " (" + (n - cp.size()) + " later entries not covered by it)" : ""));
    if (previousNote != null) {
      SignedCheckpoint.Result prevOpened = open(previousNote, monitorKey);
      if (!(prevOpened instanceof SignedCheckpoint.Verified pv)) {
        return fail(checked, -1, "previous checkpoint: " + describe(prevOpened), n);
      }
      Checkpoint prev = pv.checkpoint();
      if (!prev.origin().equals(cp.origin()) || prev.size() > cp.size()) {
        return fail(checked, -1, "previous checkpoint: " + prev + " is not an earlier checkpoint of " + cp, n);
      }
      List<byte[]> proof = scan.tree.consistencyProof(prev.size(), cp.size());
      if (!Rfc9162.verifyConsistency(prev.size(), cp.size(), prev.root(), cp.root(), proof)) {
        return fail(checked, -1, "consistency proof " + prev.size() + " -> " + cp.size() + ": fails; the log was rewritten"
            + " below index " + prev.size() + " since the previous checkpoint (root of the first " + prev.size()
            + " entries is now " + b64(scan.tree.root(prev.size())) + ", it was " + b64(prev.root()) + ")", n);
      }
      checked.add("consistency proof " + prev.size() + " -> " + cp.size() + " (" + proof.size() + " hashes): ok");
    }
    if (trust != null) {
      checked.add("envelopes: " + scan.envelopesVerified + " re-verified with the fleet's keys as of each entry's time, "
          + scan.envelopesRecordedUnverified + " recorded as not verifying and still not verifying"
          + (scan.unknownTargets > 0 ? ", " + scan.unknownTargets + " of targets not in the config (not checked)" : ""));
    }
    return new Report(List.copyOf(checked), null, n);
  }

  private static SignedCheckpoint.Result open(byte[] note, Keys.PublicKeyMaterial key) {
    String text = new String(note, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    String origin = nl <= 0 ? "" : text.substring(0, nl);
    if (origin.isEmpty() || origin.chars().anyMatch(c -> c <= ' ' || c == '+' || c > 0x7e)) {
      return new SignedCheckpoint.Rejected(SignedCheckpoint.Failure.MALFORMED, "the first line is not an origin");
    }
    return SignedCheckpoint.open(note, NoteKey.verifier(origin, key));
  }

  private static String describe(SignedCheckpoint.Result r) {
    SignedCheckpoint.Rejected rej = (SignedCheckpoint.Rejected) r;
    return rej.failure().name().toLowerCase(java.util.Locale.ROOT) + ": " + rej.detail();
  }

  private static Report fail(List<String> checked, long index, String what, long entries) {
    return new Report(List.copyOf(checked), new Finding(index, what), entries);
  }

  private static Map<String, TrustStore> trustByTarget(VigilConfig fleet) {
    Map<String, TrustStore> m = new HashMap<>();
    for (TargetConfig t : fleet.targets()) {
      m.put(t.service() + "\n" + t.environment(), TrustStore.of(t.keys().stream().map(KeyConfig::key).toList()));
    }
    return m;
  }

  static String b64(byte[] h) {
    return Base64.getEncoder().encodeToString(h);
  }

  /** The per-record pass: order, canonical form, leaf hashes, envelopes. */
  private static final class Scan {
    final MerkleTree tree = new MerkleTree();
    final Map<String, TrustStore> trust;
    final String monitorId;
    /** Entries summarised by {@link PrunedPrefix}: the tree starts with their hashes. */
    long pruned;
    Finding failure;
    long envelopesVerified;
    long envelopesRecordedUnverified;
    long unknownTargets;

    Scan(Map<String, TrustStore> trust, String monitorId) {
      this.trust = trust;
      this.monitorId = monitorId;
    }

    void accept(long offset, byte[] payload) {
      long i = tree.size();
      long peek = pruned > 0 ? Entry.peekIndex(payload) : -1;
      if (peek >= 0 && peek < pruned && failure == null) {
        if (!MerkleTree.same(Rfc9162.leafHash(payload), tree.leafHash(peek))) {
          failure = new Finding(peek, "entry " + peek + " (byte " + offset + "): left from a prune, it differs from the"
              + " leaf hash " + PrunedPrefix.FILE + " keeps for it");
        }
        return;
      }
      tree.appendLeafHash(Rfc9162.leafHash(payload));
      if (failure != null) {
        return;
      }
      Entry e;
      try {
        e = Entry.parse(payload);
      } catch (Entry.Malformed m) {
        failure = new Finding(i, "entry " + i + " (byte " + offset + "): not a canonical entry: " + m.getMessage());
        return;
      }
      if (e.index() != i) {
        failure = new Finding(i, "entry " + i + " (byte " + offset + "): the record holds index " + e.index()
            + " (an entry removed, inserted or reordered)");
        return;
      }
      if (monitorId != null && !monitorId.equals(e.monitor())) {
        failure = new Finding(i, "entry " + i + ": recorded by monitor " + Entry.clip(e.monitor())
            + ", the checkpoint is of " + monitorId);
        return;
      }
      if (trust != null && e.envelope() != null) {
        checkEnvelope(i, e);
      }
    }

    private void checkEnvelope(long i, Entry e) {
      TrustStore keys = trust.get(e.service() + "\n" + e.environment());
      if (keys == null) {
        unknownTargets++;
        return;
      }
      DsseVerifier.Result r = DsseVerifier.verify(e.envelope(), Envelope.IN_TOTO, keys, e.time());
      if (r instanceof DsseVerifier.Verified) {
        envelopesVerified++;
      } else if (e.verdict() != null && UNVERIFIED_VERDICTS.contains(e.verdict())) {
        envelopesRecordedUnverified++;
      } else {
        failure = new Finding(i, "entry " + i + ": the envelope of " + Entry.clip(e.service()) + "/"
            + Entry.clip(e.environment()) + " recorded as " + Entry.clip(e.verdict()) + " does not verify with the"
            + " fleet's keys as of " + e.time() + ": " + ((DsseVerifier.Failed) r).detail());
      }
    }
  }
}
