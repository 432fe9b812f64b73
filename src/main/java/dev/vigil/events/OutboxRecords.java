package dev.vigil.events;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The payloads of the outbox's record logs (the framing is {@link dev.vigil.recordlog.RecordLog}'s),
 * big-endian, strings in {@link DataOutputStream#writeUTF modified UTF-8}:
 *
 * <ul>
 *   <li>event {@code 'E'}: {@code [long seq][id][type][source][key][int n][n bytes: value]};
 *   <li>done marker {@code 'A'}: {@code [long seq]};
 *   <li>dead letter {@code 'D'} (file {@code dead-letter.log}):
 *       {@code [long epoch millis][reason][detail]} followed by the whole event record.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class OutboxRecords {
  static final byte EVENT = 'E';
  static final byte DONE = 'A';
  static final byte DEAD = 'D';
  private static final int MAX_DETAIL = 2000;

  private OutboxRecords() {}

  /** A decoded record: an event ({@code event} set) or a done marker ({@code event} null). */
  record Decoded(long seq, SignedEvent event) {}

  static byte[] event(long seq, SignedEvent e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(e.value().length + 128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(EVENT);
      out.writeLong(seq);
      out.writeUTF(e.id());
      out.writeUTF(e.type());
      out.writeUTF(e.source());
      out.writeUTF(e.key());
      byte[] v = e.value();
      out.writeInt(v.length);
      out.write(v);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  static byte[] done(long seq) {
    return ByteBuffer.allocate(9).put(DONE).putLong(seq).array();
  }

  static byte[] deadLetter(Outbox.DeadLetter d) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(DEAD);
      out.writeLong(d.at().toEpochMilli());
      out.writeUTF(d.reason());
      out.writeUTF(clip(d.detail()));
      out.write(event(d.seq(), d.event()));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  /** An event or done record of {@code outbox.log}. */
  static Decoded decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    byte kind = in.readByte();
    if (kind == DONE) {
      long seq = in.readLong();
      end(in);
      return new Decoded(seq, null);
    }
    if (kind != EVENT) {
      throw new IOException("unknown outbox record kind " + kind);
    }
    return readEvent(in);
  }

  static Outbox.DeadLetter decodeDeadLetter(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    if (in.readByte() != DEAD) {
      throw new IOException("not a dead-letter record");
    }
    Instant at = Instant.ofEpochMilli(in.readLong());
    String reason = in.readUTF();
    String detail = in.readUTF();
    if (in.readByte() != EVENT) {
      throw new IOException("a dead-letter record without its event");
    }
    Decoded e = readEvent(in);
    return new Outbox.DeadLetter(e.seq(), e.event(), reason, detail, at);
  }

  private static Decoded readEvent(DataInputStream in) throws IOException {
    long seq = in.readLong();
    String id = in.readUTF();
    String type = in.readUTF();
    String source = in.readUTF();
    String key = in.readUTF();
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("an event value of " + n + " bytes in a shorter record");
    }
    byte[] value = new byte[n];
    in.readFully(value);
    end(in);
    return new Decoded(seq, new SignedEvent(id, type, source, key, value));
  }

  private static void end(DataInputStream in) throws IOException {
    if (in.available() != 0) {
      throw new IOException("trailing bytes in an outbox record");
    }
  }

  private static String clip(String s) {
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
  }
}
