package dev.vigil.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP handling through {@code sun.misc.Signal}, reached reflectively so the build stays free of
 * internal-API warnings. Where the JVM offers no such signal (Windows), or the process was started with
 * SIGHUP ignored ({@code nohup}: the JVM then leaves it ignored), installing is a no-op with one WARN
 * line pointing to {@code POST /-/reload}.
 */
final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Runs {@code action} on every SIGHUP; returns false when the platform does not support it. */
  static boolean onHangup(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance("HUP");
      InvocationHandler ih = (Object proxy, Method m, Object[] args) -> {
        if (m.getName().equals("handle")) {
          action.run();
        }
        return null;
      };
      Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, ih);
      Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
      if (previous == handlerClass.getField("SIG_IGN").get(null)) {
        LOG.warn("SIGHUP is ignored by this process (started under nohup?), so kill -HUP will not reload the"
            + " configuration; use POST /-/reload with the admin token");
        return false;
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warn("SIGHUP reload is unavailable on this platform ({}); use POST /-/reload", e.toString());
      return false;
    }
  }
}
