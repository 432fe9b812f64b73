package dev.vigil.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Targets that never answer, on 127.0.0.1 only: "silent" ports accept a connection, read and
 * discard what the client sends, and never write a byte (closing when the client does); "unaccepted"
 * ports listen with a backlog of 1 and never accept, so once the backlog is full the kernel drops
 * further SYNs and a client's connect hangs until its own timeout. One thread serves every silent
 * port. For benchmarks and tests of a monitor facing blackholed targets.
 *
 * <p>{@link #main}: {@code Blackholes SILENT UNACCEPTED} prints one {@code blackhole URL} line per
 * port, then {@code ready}, and runs until stdin closes. Thread-safe to close from any thread.
 */
public final class Blackholes implements AutoCloseable {
  private final Selector selector;
  private final List<ServerSocket> unaccepted = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final Thread loop;

  private Blackholes(int silent, int unacceptedCount) throws IOException {
    selector = Selector.open();
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int i = 0; i < silent; i++) {
      ServerSocketChannel ch = ServerSocketChannel.open();
      ch.bind(new InetSocketAddress(lo, 0), 1024);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_ACCEPT);
      urls.add("http://127.0.0.1:" + ch.socket().getLocalPort());
    }
    for (int i = 0; i < unacceptedCount; i++) {
      ServerSocket s = new ServerSocket(0, 1, lo);
      unaccepted.add(s);
      urls.add("http://127.0.0.1:" + s.getLocalPort());
    }
    loop = new Thread(this::serve, "blackholes");
    loop.setDaemon(true);
    loop.start();
  }

  /** Opens {@code silent} silent and {@code unaccepted} never-accepting ports on 127.0.0.1. */
  public static Blackholes open(int silent, int unaccepted) throws IOException {
    return new Blackholes(silent, unaccepted);
  }

  /** {@code http://127.0.0.1:PORT} of every port, silent ones first. */
  public List<String> urls() {
    return Collections.unmodifiableList(urls);
  }

  private void serve() {
    ByteBuffer sink = ByteBuffer.allocate(8192);
    while (selector.isOpen()) {
      try {
        selector.select(500);
        if (!selector.isOpen()) {
          return;
        }
        for (SelectionKey k : selector.selectedKeys()) {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
            if (c != null) {
              c.configureBlocking(false);
              c.register(selector, SelectionKey.OP_READ);
            }
          } else if (k.isReadable()) {
            sink.clear();
            if (((SocketChannel) k.channel()).read(sink) < 0) {
              k.cancel();
              k.channel().close();
            }
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        if (!selector.isOpen()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (SelectionKey k : selector.keys()) {
      k.channel().close();
    }
    selector.close();
    for (ServerSocket s : unaccepted) {
      s.close();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Blackholes SILENT UNACCEPTED");
      System.exit(2);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Blackholes b = open(Integer.parseInt(args[0]), Integer.parseInt(args[1]))) {
      for (String u : b.urls()) {
        out.println("blackhole " + u);
      }
      out.println("ready");
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
