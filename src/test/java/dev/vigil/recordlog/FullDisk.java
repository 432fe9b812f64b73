package dev.vigil.recordlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk that fills up: real files, but writes stop with "No space left on device" once
 * {@link #freeBytes} are used (the write that crosses the limit is partly done, as on a real full
 * disk), and {@code truncate}/{@code force} can be made to fail. A stand-in for a small tmpfs, which
 * a test cannot mount without root. It can also refuse atomic renames, like some network file
 * systems. Not thread-safe; one test at a time.
 */
final class FullDisk implements RecordLog.Io {
  long freeBytes = Long.MAX_VALUE;
  boolean failTruncate;
  boolean failForce;
  boolean noAtomicMove;
  final List<CopyOption[]> moves = new ArrayList<>();

  @Override
  public FileChannel open(Path p, OpenOption... options) throws IOException {
    return new Channel(FileChannel.open(p, options));
  }

  @Override
  public void move(Path from, Path to, CopyOption... options) throws IOException {
    moves.add(options);
    if (noAtomicMove && List.of(options).contains(StandardCopyOption.ATOMIC_MOVE)) {
      throw new AtomicMoveNotSupportedException(from.toString(), to.toString(), "not on this file system");
    }
    RecordLog.Io.SYSTEM.move(from, to, options);
  }

  private IOException full() {
    return new IOException("No space left on device");
  }

  private final class Channel extends FileChannel {
    private final FileChannel d;

    Channel(FileChannel d) {
      this.d = d;
    }

    private int limited(ByteBuffer src, WriteOp op) throws IOException {
      if (freeBytes <= 0) {
        throw full();
      }
      if (src.remaining() <= freeBytes) {
        int n = op.write(src);
        freeBytes -= n;
        return n;
      }
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + (int) freeBytes);
      int n = op.write(part);
      src.position(src.position() + n);
      freeBytes -= n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return limited(src, d::write);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return limited(src, b -> d.write(b, position));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      long n = 0;
      for (int i = offset; i < offset + length; i++) {
        n += write(srcs[i]);
      }
      return n;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (failTruncate) {
        throw new IOException("Input/output error (truncate)");
      }
      d.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (failForce) {
        throw new IOException("Input/output error (fsync)");
      }
      d.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return d.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return d.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return d.read(dst, position);
    }

    @Override
    public long position() throws IOException {
      return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      d.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return d.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
      int n = d.read(buf, position);
      if (n <= 0) {
        return 0;
      }
      buf.flip();
      return target.write(buf);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      throw new UnsupportedOperationException("not used by RecordLog");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      throw new UnsupportedOperationException("not used by RecordLog");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      d.close();
    }
  }

  @FunctionalInterface
  private interface WriteOp {
    int write(ByteBuffer b) throws IOException;
  }
}
