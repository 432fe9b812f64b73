package dev.vigil.report;

import dev.vigil.attest.Keys;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.MerkleTree;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.Rfc9162;
import dev.vigil.evidence.SignedCheckpoint;
import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The entries a report may use: those a checkpoint covers, checked against it. The checkpoint is a
 * signed note (verified when the monitor's key is given) or, without one, computed from the whole
 * log (then nothing signs it and the report says so). Entries are read from a log directory
 * without changing it, or fetched from a monitor's evidence endpoints ({@link MonitorApi}); each
 * must be canonical and at its index, and the first {@code size} must hash to the checkpoint's root.
 *
 * <p>Stateless; each call is independent and thread-safe. Blocking I/O.
 */
public final class EvidenceSource {
  private EvidenceSource() {}

  /** The evidence does not check (corrupt log, entry out of place, root or signature mismatch): a finding, exit 1. */
  public static final class Untrusted extends Exception {
    private static final long serialVersionUID = 1L;

    public Untrusted(String message) {
      super(message);
    }
  }

  /** The covered entries in index order and the checkpoint they were checked against. */
  public record Loaded(List<Entry> entries, Report.CheckpointInfo checkpoint) {}

  /**
   * Reads {@code dir/evidence.log}.
   *
   * @param note a signed checkpoint, or null to cover the whole log
   * @param key the monitor's public key to verify {@code note} with, or null
   * @throws IOException when the directory or file cannot be read
   */
  public static Loaded fromDir(Path dir, byte[] note, Keys.PublicKeyMaterial key) throws IOException, Untrusted {
    Path file = dir.resolve(EvidenceLog.FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": no " + EvidenceLog.FILE + " in it");
    }
    Opened cp = note == null ? null : open(note, key);
    Collector c = new Collector(cp == null ? Long.MAX_VALUE : cp.checkpoint.size());
    c.pruned = dev.vigil.evidence.PrunedPrefix.read(dir, c.tree::appendLeafHash);
    RecordLog.Recovery rec = RecordLog.read(file, EvidenceLog.MAX_ENTRY_BYTES, (off, payload) -> c.accept(payload));
    if (rec.corruptRecords() > 0) {
      throw new Untrusted("evidence log " + file + ": corrupt record(s) at byte(s) " + rec.corruptOffsets()
          + " (damaged or edited): the entries after it are not at their index; restore the log from a copy");
    }
    return c.finish(cp);
  }

  /**
   * Fetches the entries from a monitor's evidence endpoints (evidence-v1 section 4).
   *
   * @param note a signed checkpoint, or null to use the monitor's latest ({@code GET /api/v1/evidence/checkpoint})
   * @throws IOException when the monitor cannot be read (unreachable, a status other than 200)
   */
  public static Loaded fromUrl(java.net.URI monitor, byte[] note, Keys.PublicKeyMaterial key, java.time.Duration timeout)
      throws IOException, Untrusted {
    try (MonitorApi api = new MonitorApi(monitor, timeout)) {
      byte[] n = note != null ? note : api.checkpoint();
      Opened cp = open(n, key);
      return check(api.entries(0, cp.checkpoint().size()), n, key);
    }
  }

  /** Checks entries fetched elsewhere (one canonical entry per element, from index 0). */
  static Loaded check(List<byte[]> entries, byte[] note, Keys.PublicKeyMaterial key) throws Untrusted {
    Opened cp = note == null ? null : open(note, key);
    Collector c = new Collector(cp == null ? Long.MAX_VALUE : cp.checkpoint.size());
    for (byte[] e : entries) {
      c.accept(e);
    }
    return c.finish(cp);
  }

  /** A parsed (and, with a key, verified) checkpoint with its signature lines. */
  record Opened(Checkpoint checkpoint, List<String> signatureLines, Report.Signature signature, String keyId) {}

  static Opened open(byte[] note, Keys.PublicKeyMaterial key) throws Untrusted {
    String text = new String(note, StandardCharsets.UTF_8);
    int split = text.indexOf("\n\n");
    if (split < 0 || !text.endsWith("\n")) {
      throw new Untrusted("checkpoint: not a signed note (no blank line between the body and the signatures)");
    }
    Checkpoint cp = parseBody(text.substring(0, split + 1));
    List<String> sigLines = Arrays.asList(text.substring(split + 2, text.length() - 1).split("\n", -1));
    if (key == null) {
      return new Opened(cp, sigLines, Report.Signature.NOT_CHECKED, null);
    }
    SignedCheckpoint.Result r;
    try {
      r = SignedCheckpoint.open(note, NoteKey.verifier(cp.origin(), key));
    } catch (IllegalArgumentException e) {
      throw new Untrusted("checkpoint: " + e.getMessage());
    }
    if (r instanceof SignedCheckpoint.Rejected rej) {
      throw new Untrusted("checkpoint: " + rej.failure().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + ": " + rej.detail());
    }
    return new Opened(((SignedCheckpoint.Verified) r).checkpoint(), sigLines, Report.Signature.VERIFIED, key.keyId());
  }

  private static Checkpoint parseBody(String body) throws Untrusted {
    String[] lines = body.split("\n", -1);
    try {
      if (lines.length == 4 && lines[1].matches("0|[1-9][0-9]{0,18}")) {
        Checkpoint cp = new Checkpoint(lines[0], Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]));
        if (cp.body().equals(body)) {
          return cp;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the one message
    }
    throw new Untrusted("checkpoint: the body is not three lines: origin, decimal size, base64 32-byte root");
  }

  /** Parses, places and hashes entries up to the checkpoint's size; counts the rest. */
  private static final class Collector {
    final long limit;
    final MerkleTree tree = new MerkleTree();
    final List<Entry> entries = new ArrayList<>();
    long after;
    /** Entries pruned by retention: the tree starts with their leaf hashes, the report with the next entry. */
    long pruned;
    Untrusted failure;

    Collector(long limit) {
      this.limit = limit;
    }

    void accept(byte[] payload) {
      long peek = pruned > 0 ? Entry.peekIndex(payload) : -1;
      if (peek >= 0 && peek < pruned) {
        if (failure == null && !Arrays.equals(Rfc9162.leafHash(payload), tree.leafHash(peek))) {
          failure = new Untrusted("entry " + peek + ": left from a prune, it differs from its kept leaf hash");
        }
        return;
      }
      long i = tree.size();
      if (i >= limit) {
        after++;
        return;
      }
      tree.appendLeafHash(Rfc9162.leafHash(payload));
      if (failure != null) {
        return;
      }
      try {
        Entry e = Entry.parse(payload);
        if (e.index() != i) {
          failure = new Untrusted("entry " + i + ": holds index " + e.index() + " (an entry removed, inserted or reordered)");
          return;
        }
        entries.add(e);
      } catch (Entry.Malformed m) {
        failure = new Untrusted("entry " + i + ": not a canonical evidence entry: " + m.getMessage());
      }
    }

    Loaded finish(Opened cp) throws Untrusted {
      if (failure != null) {
        throw failure;
      }
      String b64 = Base64.getEncoder().encodeToString(tree.root());
      if (cp == null) {
        String origin = Checkpoint.ORIGIN_PREFIX + (entries.isEmpty() ? "unknown" : entries.get(0).monitor());
        return new Loaded(List.copyOf(entries),
            new Report.CheckpointInfo(origin, tree.size(), b64, List.of(), Report.Signature.UNSIGNED, null, 0));
      }
      Checkpoint c = cp.checkpoint();
      if (tree.size() < c.size()) {
        throw new Untrusted("the log has " + tree.size() + " entries, the checkpoint covers " + c.size());
      }
      if (!Arrays.equals(tree.root(), c.root())) {
        throw new Untrusted("the first " + c.size() + " entries hash to " + b64 + ", the checkpoint signs "
            + Base64.getEncoder().encodeToString(c.root()) + " (an entry was changed, removed or inserted)");
      }
      return new Loaded(List.copyOf(entries), new Report.CheckpointInfo(c.origin(), c.size(), b64, cp.signatureLines(),
          cp.signature(), cp.keyId(), after));
    }
  }
}
