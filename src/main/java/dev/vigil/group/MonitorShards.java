package dev.vigil.group;

import dev.vigil.config.TargetConfig;
import dev.vigil.monitor.Monitor;
import dev.vigil.score.TargetId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Monitor} as a {@link ShardOwner}: runs each handover on the monitor's context and waits
 * for it (at most {@code timeout}). Assigned: the shards' targets are restored from the durable
 * state, then polled. Revoked: they are no longer polled (their polls in flight abandoned unjudged,
 * so nothing changes after the save), their state is saved, then forgotten (breaches not resolved:
 * they continue on the next owner). Lost: everything is forgotten unsaved, their polls in flight
 * abandoned. Call {@link #attach} before the monitor starts, so that it polls nothing until Kafka
 * assigns it shards. Its owned set is confined to the monitor's context.
 */
public final class MonitorShards implements ShardOwner {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorShards.class);
  private final Context context;
  private final Monitor monitor;
  private final int shards;
  private final Duration timeout;
  private final Set<Integer> owned = new TreeSet<>();

  private MonitorShards(Context context, Monitor monitor, int shards, Duration timeout) {
    this.context = context;
    this.monitor = monitor;
    this.shards = shards;
    this.timeout = timeout;
  }

  /** Restricts {@code monitor} (not started yet, confined to {@code context}) to the shards it will be given. */
  public static MonitorShards attach(Context context, Monitor monitor, int shards, Duration timeout) {
    MonitorShards s = new MonitorShards(context, monitor, shards, timeout);
    monitor.restrictTo(id -> false);
    return s;
  }

  @Override
  public void assigned(Set<Integer> added) {
    run("assign shards " + added, () -> {
      owned.addAll(added);
      return monitor.restoreState(Shards.in(added, shards)).recover(e -> {
        LOG.error("cannot restore the state of shards {}: {}; polling their targets from an empty state", added,
            e.getMessage());
        return Future.succeededFuture(0);
      }).map(n -> {
        monitor.restrictTo(Shards.in(owned, shards));
        return null;
      });
    });
  }

  @Override
  public void revoked(Set<Integer> revoked) {
    run("hand over shards " + revoked, () -> {
      List<TargetId> ids = targetsOf(revoked);
      monitor.pause(ids);
      return monitor.flushState(ids).recover(e -> {
        LOG.error("cannot save the state of shards {} before handing them over: {}; their next owner starts from the"
            + " last saved state", revoked, e.getMessage());
        return Future.succeededFuture();
      }).map(v -> {
        monitor.releaseState(ids);
        owned.removeAll(revoked);
        monitor.restrictTo(Shards.in(owned, shards));
        return null;
      });
    });
  }

  @Override
  public void lost() {
    run("drop every shard", () -> {
      monitor.releaseState(targetsOf(Set.copyOf(owned)));
      owned.clear();
      monitor.restrictTo(id -> false);
      return Future.succeededFuture();
    });
  }

  private List<TargetId> targetsOf(Set<Integer> which) {
    return monitor.config().targets().stream().map(TargetConfig::id)
        .filter(id -> which.contains(Shards.of(id, shards))).toList();
  }

  private void run(String what, Supplier<Future<?>> action) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(r -> {
          if (r.succeeded()) {
            done.complete(null);
          } else {
            done.completeExceptionally(r.cause());
          }
        });
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      LOG.error("group: cannot {}: {}", what, e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      LOG.error("group: {} took longer than {}; going on", what, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
