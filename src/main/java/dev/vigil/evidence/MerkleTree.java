package dev.vigil.evidence;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RFC 9162 Merkle tree over a log's entries, kept incrementally: level {@code j} holds the
 * hash of every complete, aligned subtree of {@code 2^j} leaves, so an append adds one leaf hash
 * and at most {@code log2(n)} node hashes (amortized one), and any subtree hash the proofs of
 * sections 2.1.3.1 (inclusion) and 2.1.4.1 (consistency) need is a lookup or a fold of at most
 * {@code log2(n)} lookups. The root and the proofs can be asked for any earlier size too.
 *
 * <p>Memory: about 64 bytes per leaf (32 MB per million entries for the leaves, as much for the
 * levels above). At most {@code 2^25} hashes per level (33 million entries).
 *
 * <p>Not thread-safe: its owner ({@link EvidenceLog}) synchronizes.
 */
public final class MerkleTree {
  private final List<Level> levels = new ArrayList<>();
  private long size;

  public MerkleTree() {
    levels.add(new Level());
  }

  public long size() {
    return size;
  }

  /** Appends an entry's leaf hash (see {@link Rfc9162#leafHash}). */
  public void appendLeafHash(byte[] leafHash) {
    if (leafHash.length != Rfc9162.HASH) {
      throw new IllegalArgumentException("a leaf hash has 32 bytes");
    }
    levels.get(0).add(leafHash);
    size++;
    for (int j = 0; levels.get(j).count % 2 == 0; j++) {
      Level lv = levels.get(j);
      byte[] parent = Rfc9162.nodeHash(lv.get(lv.count - 2), lv.get(lv.count - 1));
      if (levels.size() == j + 1) {
        levels.add(new Level());
      }
      levels.get(j + 1).add(parent);
    }
  }

  /** The hash of leaf {@code index}. */
  public byte[] leafHash(long index) {
    checkRange(0, index + 1, size);
    return levels.get(0).get(index);
  }

  /** The root of the whole tree. */
  public byte[] root() {
    return root(size);
  }

  /** The root of the tree of the first {@code n} leaves (n <= size). */
  public byte[] root(long n) {
    checkRange(0, n, size);
    return n == 0 ? Rfc9162.emptyRoot() : hash(0, n);
  }

  /** RFC 9162 2.1.3.1 PATH(index, D[n]): the inclusion proof of leaf {@code index} in the tree of size {@code n}. */
  public List<byte[]> inclusionProof(long index, long n) {
    checkRange(0, n, size);
    if (index < 0 || index >= n) {
      throw new IllegalArgumentException("index " + index + " is not below the tree size " + n);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, n, proof);
    return proof;
  }

  /** RFC 9162 2.1.4.1 PROOF(m, D[n]): the consistency proof from size {@code m} to size {@code n} (0 <= m <= n). */
  public List<byte[]> consistencyProof(long m, long n) {
    checkRange(0, n, size);
    if (m < 0 || m > n) {
      throw new IllegalArgumentException("from " + m + " must be between 0 and " + n);
    }
    List<byte[]> proof = new ArrayList<>();
    if (m > 0 && m < n) {
      subproof(m, 0, n, true, proof);
    }
    return proof;
  }

  private void path(long m, long lo, long hi, List<byte[]> out) {
    if (hi - lo == 1) {
      return;
    }
    long k = Rfc9162.split(hi - lo);
    if (m < k) {
      path(m, lo, lo + k, out);
      out.add(hash(lo + k, hi));
    } else {
      path(m - k, lo + k, hi, out);
      out.add(hash(lo, lo + k));
    }
  }

  private void subproof(long m, long lo, long hi, boolean whole, List<byte[]> out) {
    long n = hi - lo;
    if (m == n) {
      if (!whole) {
        out.add(hash(lo, hi));
      }
      return;
    }
    long k = Rfc9162.split(n);
    if (m <= k) {
      subproof(m, lo, lo + k, whole, out);
      out.add(hash(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, out);
      out.add(hash(lo, lo + k));
    }
  }

  /** MTH(D[lo:hi]) as RFC 9162 2.1.1 defines it; complete aligned subtrees are looked up. */
  byte[] hash(long lo, long hi) {
    long n = hi - lo;
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      return levels.get(Long.numberOfTrailingZeros(n)).get(lo / n);
    }
    long k = Rfc9162.split(n);
    return Rfc9162.nodeHash(hash(lo, lo + k), hash(lo + k, hi));
  }

  private static void checkRange(long lo, long n, long size) {
    if (n < lo || n > size) {
      throw new IllegalArgumentException("size " + n + " is beyond the tree's " + size + " leaves");
    }
  }

  /** A growable array of 32-byte hashes. */
  private static final class Level {
    private byte[] data = new byte[32 * 64];
    private long count;

    void add(byte[] h) {
      long at = count * Rfc9162.HASH;
      if (at + Rfc9162.HASH > data.length) {
        if (data.length >= (1 << 30)) {
          throw new IllegalStateException("the Merkle tree holds at most 2^25 hashes per level (33 million entries)");
        }
        data = Arrays.copyOf(data, data.length * 2);
      }
      System.arraycopy(h, 0, data, (int) at, Rfc9162.HASH);
      count++;
    }

    byte[] get(long i) {
      int at = (int) (i * Rfc9162.HASH);
      return Arrays.copyOfRange(data, at, at + Rfc9162.HASH);
    }
  }

  /** True when both hashes are equal, in constant time. */
  static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
