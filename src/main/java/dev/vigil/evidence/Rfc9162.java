package dev.vigil.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hashing and proof verification of RFC 9162 section 2.1: leaf hash {@code SHA-256(0x00 || d)},
 * node hash {@code SHA-256(0x01 || left || right)}, and the verification algorithms of sections
 * 2.1.3.2 (inclusion) and 2.1.4.2 (consistency), written after the RFC's steps.
 *
 * <p>Pure functions; thread-safe.
 */
public final class Rfc9162 {
  /** Bytes of a hash. */
  public static final int HASH = 32;

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Rfc9162::newSha256);

  private Rfc9162() {}

  public static byte[] leafHash(byte[] entry) {
    MessageDigest d = sha256();
    d.update((byte) 0);
    d.update(entry);
    return d.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** The root of the empty tree: SHA-256 of no bytes. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** RFC 9162 2.1.3.2: does {@code path} prove that {@code leafHash} is leaf {@code index} of the tree of {@code size} with {@code root}? */
  public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size || !wellFormed(path) || leafHash.length != HASH) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /**
   * RFC 9162 2.1.4.2: does {@code proof} show that the tree of {@code second} entries with
   * {@code secondRoot} extends the tree of {@code first} entries with {@code firstRoot}? Equal
   * sizes need an empty proof and equal roots; an empty first tree is extended by every tree.
   */
  public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
      List<byte[]> proof) {
    if (first < 0 || second < first || !wellFormed(proof)) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
    }
    if (first == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(first) == 1) {
      path.add(firstRoot);
    }
    path.addAll(proof);
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
  }

  /** The largest power of two strictly smaller than {@code n} (n >= 2): RFC 9162's split point k. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  private static boolean wellFormed(List<byte[]> hashes) {
    for (byte[] h : hashes) {
      if (h == null || h.length != HASH) {
        return false;
      }
    }
    return hashes.size() <= 128;
  }

  /** This thread's SHA-256 digest, reset (each use ends with {@code digest()}). */
  static MessageDigest sha256() {
    MessageDigest d = SHA256.get();
    d.reset();
    return d;
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
