package dev.vigil.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();

  static byte[] leaf(int i) {
    return ("leaf-" + i).getBytes(StandardCharsets.UTF_8);
  }

  static MerkleTree tree(int n) {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < n; i++) {
      t.appendLeafHash(Rfc9162.leafHash(leaf(i)));
    }
    return t;
  }

  /** RFC 9162 section 2.1 written as the text says, recursing over the entries themselves. */
  static final class Naive {
    final List<byte[]> d = new ArrayList<>();

    Naive(int n) {
      for (int i = 0; i < n; i++) {
        d.add(leaf(i));
      }
    }

    byte[] mth(int lo, int hi) {
      int n = hi - lo;
      if (n == 0) {
        return sha(new byte[0]);
      }
      if (n == 1) {
        return sha(concat(new byte[] {0}, d.get(lo)));
      }
      int k = 1;
      while (k * 2 < n) {
        k *= 2;
      }
      return sha(concat(new byte[] {1}, mth(lo, lo + k), mth(lo + k, hi)));
    }

    List<byte[]> path(int m, int lo, int hi) {
      int n = hi - lo;
      List<byte[]> out = new ArrayList<>();
      if (n <= 1) {
        return out;
      }
      int k = 1;
      while (k * 2 < n) {
        k *= 2;
      }
      if (m < k) {
        out.addAll(path(m, lo, lo + k));
        out.add(mth(lo + k, hi));
      } else {
        out.addAll(path(m - k, lo + k, hi));
        out.add(mth(lo, lo + k));
      }
      return out;
    }

    List<byte[]> subproof(int m, int lo, int hi, boolean b) {
      int n = hi - lo;
      List<byte[]> out = new ArrayList<>();
      if (m == n) {
        if (!b) {
          out.add(mth(lo, hi));
        }
        return out;
      }
      int k = 1;
      while (k * 2 < n) {
        k *= 2;
      }
      if (m <= k) {
        out.addAll(subproof(m, lo, lo + k, b));
        out.add(mth(lo + k, hi));
      } else {
        out.addAll(subproof(m - k, lo + k, hi, false));
        out.add(mth(lo, lo + k));
      }
      return out;
    }

    static byte[] sha(byte[] b) {
      return Rfc9162.sha256().digest(b);
    }

    static byte[] concat(byte[]... parts) {
      int len = 0;
      for (byte[] p : parts) {
        len += p.length;
      }
      byte[] out = new byte[len];
      int at = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }
  }

  static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(HEX::formatHex).toList();
  }

  static List<byte[]> tampered(List<byte[]> proof, Random rnd) {
    List<byte[]> t = new ArrayList<>();
    proof.forEach(h -> t.add(h.clone()));
    int i = rnd.nextInt(t.size());
    t.get(i)[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
    return t;
  }

  @Nested
  class AgainstTheRfcAlgorithm {
    @Test
    void rootsAndProofsEqualTheNaiveOnesAndVerifyOnRandomSizesUpTo2000() {
      Random rnd = new Random(9162);
      List<Integer> sizes = new ArrayList<>();
      for (int n = 1; n <= 40; n++) {
        sizes.add(n);
      }
      for (int i = 0; i < 40; i++) {
        sizes.add(1 + rnd.nextInt(2000));
      }
      sizes.add(1024);
      sizes.add(2000);
      for (int n : sizes) {
        MerkleTree t = tree(n);
        Naive naive = new Naive(n);
        byte[] root = t.root();
        assertThat(HEX.formatHex(root)).as("root of %d", n).isEqualTo(HEX.formatHex(naive.mth(0, n)));
        for (int probe = 0; probe < 4; probe++) {
          int m = rnd.nextInt(n);
          List<byte[]> incl = t.inclusionProof(m, n);
          assertThat(hex(incl)).as("PATH(%d, D[%d])", m, n).isEqualTo(hex(naive.path(m, 0, n)));
          assertThat(Rfc9162.verifyInclusion(m, n, t.leafHash(m), incl, root)).as("inclusion %d in %d", m, n).isTrue();
          if (!incl.isEmpty()) {
            assertThat(Rfc9162.verifyInclusion(m, n, t.leafHash(m), tampered(incl, rnd), root)).isFalse();
            assertThat(Rfc9162.verifyInclusion(m, n, t.leafHash(m), incl.subList(1, incl.size()), root)).isFalse();
          }
          if (n > 1) {
            assertThat(Rfc9162.verifyInclusion((m + 1) % n, n, t.leafHash(m), incl, root)).isFalse();
          }
          int from = 1 + rnd.nextInt(n);
          List<byte[]> cons = t.consistencyProof(from, n);
          assertThat(hex(cons)).as("PROOF(%d, D[%d])", from, n)
              .isEqualTo(hex(from == n ? List.of() : naive.subproof(from, 0, n, true)));
          assertThat(Rfc9162.verifyConsistency(from, n, t.root(from), root, cons)).as("consistency %d -> %d", from, n)
              .isTrue();
          assertThat(HEX.formatHex(t.root(from))).isEqualTo(HEX.formatHex(naive.mth(0, from)));
          if (!cons.isEmpty()) {
            assertThat(Rfc9162.verifyConsistency(from, n, t.root(from), root, tampered(cons, rnd))).isFalse();
            byte[] otherRoot = from > 1 ? t.root(from - 1) : Rfc9162.leafHash(leaf(99_999));
            assertThat(Rfc9162.verifyConsistency(from, n, otherRoot, root, cons)).isFalse();
          }
        }
      }
    }

    @Test
    void proofsForEverySmallSizeAndIndexVerify() {
      for (int n = 1; n <= 33; n++) {
        MerkleTree t = tree(n);
        for (int m = 0; m < n; m++) {
          assertThat(Rfc9162.verifyInclusion(m, n, t.leafHash(m), t.inclusionProof(m, n), t.root(n))).isTrue();
          assertThat(Rfc9162.verifyConsistency(m + 1, n, t.root(m + 1), t.root(n), t.consistencyProof(m + 1, n)))
              .as("%d -> %d", m + 1, n).isTrue();
        }
      }
    }

    @Test
    void theEmptyTreeHasTheHashOfNothing() {
      assertThat(HEX.formatHex(new MerkleTree().root()))
          .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
  }

  @Nested
  class KnownAnswersFromPython {
    private static final String SCRIPT = """
        import hashlib
        def h(b): return hashlib.sha256(b).digest()
        def mth(d):
            if len(d) == 0: return h(b'')
            if len(d) == 1: return h(b'\\x00' + d[0])
            k = 1
            while k * 2 < len(d): k *= 2
            return h(b'\\x01' + mth(d[:k]) + mth(d[k:]))
        def path(m, d):
            if len(d) <= 1: return []
            k = 1
            while k * 2 < len(d): k *= 2
            if m < k: return path(m, d[:k]) + [mth(d[k:])]
            return path(m - k, d[k:]) + [mth(d[:k])]
        def sub(m, d, b):
            if m == len(d): return [] if b else [mth(d)]
            k = 1
            while k * 2 < len(d): k *= 2
            if m <= k: return sub(m, d[:k], b) + [mth(d[k:])]
            return sub(m - k, d[k:], False) + [mth(d[:k])]
        leaves = [('leaf-%d' % i).encode() for i in range(1000)]
        for n in (1, 2, 3, 7, 8, 1000):
            print('root', n, mth(leaves[:n]).hex())
        print('path', ','.join(x.hex() for x in path(5, leaves[:1000])))
        print('proof', ','.join(x.hex() for x in sub(7, leaves[:1000], True)))
        """;

    @Test
    void rootsAndProofsEqualHashlibs() throws IOException, InterruptedException {
      Process p = new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(p.exitValue()).as(out).isZero();
      MerkleTree t = tree(1000);
      int roots = 0;
      for (String line : out.strip().split("\n")) {
        String[] f = line.split(" ");
        switch (f[0]) {
          case "root" -> {
            assertThat(HEX.formatHex(t.root(Integer.parseInt(f[1])))).as(line).isEqualTo(f[2]);
            roots++;
          }
          case "path" -> assertThat(String.join(",", hex(t.inclusionProof(5, 1000)))).isEqualTo(f[1]);
          case "proof" -> assertThat(String.join(",", hex(t.consistencyProof(7, 1000)))).isEqualTo(f[1]);
          default -> throw new AssertionError(line);
        }
      }
      assertThat(roots).isEqualTo(6);
      assertThat(MessageDigest.isEqual(t.root(1), Rfc9162.leafHash(leaf(0)))).isTrue();
    }
  }
}
