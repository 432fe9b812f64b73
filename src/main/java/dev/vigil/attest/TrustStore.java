package dev.vigil.attest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a verifier may accept signatures from, indexed by keyid. A key listed twice is kept
 * once, so it can never count twice towards a threshold. Immutable and thread-safe.
 */
public final class TrustStore {
  private final Map<String, TrustedKey> byId;
  private final List<TrustedKey> keys;

  private TrustStore(Map<String, TrustedKey> byId) {
    this.byId = byId;
    this.keys = List.copyOf(byId.values());
  }

  public static TrustStore of(Collection<TrustedKey> keys) {
    Map<String, TrustedKey> map = new LinkedHashMap<>();
    for (TrustedKey k : keys) {
      map.putIfAbsent(k.keyId(), k);
    }
    return new TrustStore(map);
  }

  public static TrustStore of(TrustedKey... keys) {
    return of(List.of(keys));
  }

  public List<TrustedKey> keys() {
    return keys;
  }

  public int size() {
    return keys.size();
  }

  /** True when a keyid hint names a key of this store. */
  public boolean knows(String keyId) {
    return byId.containsKey(keyId);
  }

  /** The keys to try for one signature: the hinted key first, when known, then all the others. */
  List<TrustedKey> tryOrder(String hint) {
    TrustedKey first = hint.isEmpty() ? null : byId.get(hint);
    if (first == null) {
      return keys;
    }
    List<TrustedKey> ordered = new ArrayList<>(keys.size());
    ordered.add(first);
    for (TrustedKey k : keys) {
      if (k != first) {
        ordered.add(k);
      }
    }
    return ordered;
  }
}
