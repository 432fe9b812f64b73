package dev.vigil.rollback;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The read-modify-write of one Kubernetes object that both Kubernetes actuators do: read it, stop
 * if its traffic is already all on blue, change it, and update it carrying the resourceVersion that
 * was read; on 409 Conflict (someone else changed it in between) read again and retry, at most
 * {@link #MAX_ATTEMPTS} times. Blocking (the fabric8 client): run on a worker. Stateless.
 */
final class OptimisticUpdate {
  static final int MAX_ATTEMPTS = 5;

  /** Reads the object; fails when it cannot be read or does not exist. */
  @FunctionalInterface
  interface Read<T> {
    T read() throws IOException;
  }

  /** The weights an object puts in effect. */
  @FunctionalInterface
  interface Weigh<T> {
    Weights weights(T object) throws IOException;
  }

  /** Changes an object (as read, with {@code before} in effect) to send everything to blue; says what changed. */
  @FunctionalInterface
  interface Change<T> {
    String toBlue(T object, Weights before) throws IOException;
  }

  private OptimisticUpdate() {}

  /** The object a fabric8 {@code get} returns; an IOException naming {@code where} when it fails or finds nothing. */
  static <T> T get(String where, Supplier<T> get) throws IOException {
    T object;
    try {
      object = get.get();
    } catch (KubernetesClientException e) {
      throw new IOException(where + ": read failed (HTTP " + e.getCode() + "): " + e.getMessage(), e);
    }
    if (object == null) {
      throw new IOException(where + " not found");
    }
    return object;
  }

  /**
   * Moves the object named {@code where} to blue. {@code already} describes an object already all
   * on blue (nothing written); {@code write} is the fabric8 update (409 when the object changed
   * since it was read); {@code beforeWrite} runs between each read and its write (tests).
   */
  static <T> ActuationResult toBlue(String where, Read<T> read, Weigh<T> weigh, Change<T> change, String already,
      Consumer<T> write, Runnable beforeWrite) throws IOException {
    return to(Weights.ALL_BLUE, where, read, weigh, change, already, write, beforeWrite);
  }

  /** As {@link #toBlue}, to {@code target}: {@code change} puts {@code target} in effect. */
  static <T> ActuationResult to(Weights target, String where, Read<T> read, Weigh<T> weigh, Change<T> change,
      String already, Consumer<T> write, Runnable beforeWrite) throws IOException {
    for (int attempt = 1; ; attempt++) {
      T object = read.read();
      Weights before = weigh.weights(object);
      if (before.equals(target)) {
        return new ActuationResult(before, false, where + " " + already);
      }
      String changed = change.toBlue(object, before);
      beforeWrite.run();
      try {
        write.accept(object);
        return new ActuationResult(target, true, where + " " + changed
            + (attempt > 1 ? " after " + (attempt - 1) + " resourceVersion conflict(s)" : ""));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
          throw new IOException(where + ": update failed" + (e.getCode() == 409 ? " after " + attempt
              + " resourceVersion conflicts" : " (HTTP " + e.getCode() + ")") + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
