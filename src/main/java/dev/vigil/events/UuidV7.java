package dev.vigil.events;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * RFC 9562 version-7 UUIDs: 48 bits of Unix milliseconds, then 74 random bits. Ids made in one
 * JVM are strictly increasing (a counter in rand_a carries ties within a millisecond), so event
 * ids sort by creation. Thread-safe.
 */
public final class UuidV7 {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static long counter;

  private UuidV7() {}

  public static synchronized UUID next() {
    long now = System.currentTimeMillis();
    if (now > lastMillis) {
      lastMillis = now;
      counter = RANDOM.nextInt(1 << 11); // leave room to count up within the millisecond
    } else if (++counter > 0xFFF) {
      lastMillis++; // ran out in this millisecond: borrow the next one
      counter = 0;
    }
    long msb = (lastMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
    long lsb = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}
