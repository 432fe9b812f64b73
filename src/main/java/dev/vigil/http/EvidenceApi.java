package dev.vigil.http;

import java.io.IOException;
import java.util.List;

/**
 * What the evidence endpoints of evidence-v1 section 4 read: the monitor's evidence log as the
 * HTTP server sees it. Defined here so that {@code http} does not depend on {@code monitor} or on
 * the log's storage. Implementations are thread-safe; every method but {@link #checkpoint()} and
 * {@link #size()} may block on file I/O (the routes call them on a worker).
 */
public interface EvidenceApi {
  /** The latest signed checkpoint (C2SP signed note), or null when none has been made (yet, or no key). */
  String checkpoint();

  /** Why there is no checkpoint, when {@link #checkpoint()} is null: one line for a 404. */
  String noCheckpointReason();

  /** Durable entries: the largest {@code end} and {@code size} the endpoints accept. */
  long size();

  /** The first index still held: entries below it were pruned by retention. */
  long first();

  /** The canonical bytes of entries {@code start..end-1} ({@link #first()} <= start <= end <= {@link #size()}). */
  List<byte[]> entries(long start, long end) throws IOException;

  /** RFC 9162 inclusion proof of {@code index} in the tree of {@code size} entries. */
  List<byte[]> inclusionProof(long index, long size);

  /** RFC 9162 consistency proof from {@code from} to {@code to} entries. */
  List<byte[]> consistencyProof(long from, long to);
}
