package dev.vigil.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hostile HTTP server on 127.0.0.1 (ephemeral port) that answers every request with fixed raw
 * bytes, then optionally repeats other bytes until the client hangs up (an endless stream of
 * interim responses). For malformed-response tests; each connection has its own daemon thread.
 */
public final class RawHttpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final byte[] answer;
  private final byte[] repeat;

  private RawHttpServer(byte[] answer, byte[] repeat) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.answer = answer;
    this.repeat = repeat;
    Thread t = new Thread(this::acceptLoop, "raw-http-server");
    t.setDaemon(true);
    t.start();
  }

  /** Answers {@code answer} (ISO-8859-1) to every request and keeps the connection open. */
  public static RawHttpServer answering(String answer) throws IOException {
    return new RawHttpServer(answer.getBytes(StandardCharsets.ISO_8859_1), null);
  }

  /** Sends {@code repeated} again and again (every 5 ms) until the client closes the connection. */
  public static RawHttpServer repeating(String repeated) throws IOException {
    return new RawHttpServer(new byte[0], repeated.getBytes(StandardCharsets.ISO_8859_1));
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "raw-http-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      int state = 0;
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
      }
      out.write(answer);
      out.flush();
      while (repeat != null) {
        out.write(repeat); // blocks once the client stops reading; fails once it hangs up
        out.flush();
      }
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException gone) {
      // the client hung up
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
