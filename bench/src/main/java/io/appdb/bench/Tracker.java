package io.appdb.bench;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.status.Conditions;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Watches the AppDatabases of a fleet (one watch, as a GitOps tool would) and stamps when each was
 * submitted, became Ready for its current generation, and disappeared.
 */
final class Tracker implements Watcher<AppDatabase>, AutoCloseable {
  final Fleet fleet;
  final AtomicLongArray submitted;
  final AtomicLongArray ready;
  final AtomicLongArray deleteSubmitted;
  final AtomicLongArray gone;
  private final Watch watch;

  Tracker(BenchEnvironment env, Fleet fleet) {
    this.fleet = fleet;
    int n = fleet.items.size();
    submitted = new AtomicLongArray(n);
    ready = new AtomicLongArray(n);
    deleteSubmitted = new AtomicLongArray(n);
    gone = new AtomicLongArray(n);
    watch = env.bench.resources(AppDatabase.class).inAnyNamespace().watch(this);
  }

  @Override
  public void eventReceived(Action action, AppDatabase adb) {
    long now = System.nanoTime();
    Fleet.Item item =
        fleet.byKey.get(adb.getMetadata().getNamespace() + "/" + adb.getMetadata().getName());
    if (item == null) {
      return;
    }
    if (action == Action.DELETED) {
      gone.compareAndSet(item.index(), 0, now);
    } else if (isReady(adb)) {
      ready.compareAndSet(item.index(), 0, now);
    }
  }

  static boolean isReady(AppDatabase adb) {
    return adb.getStatus() != null
        && Conditions.isTrue(adb.getStatus().getConditions(), Conditions.READY)
        && adb.getMetadata().getGeneration() != null
        && adb.getMetadata().getGeneration().equals(adb.getStatus().getObservedGeneration());
  }

  @Override
  public void onClose(WatcherException cause) {
    if (cause != null) {
      System.err.println("bench: AppDatabase watch closed: " + cause.getMessage());
    }
  }

  /** Waits until every stamp in {@code stamps} is set; returns false on timeout. */
  static boolean awaitAll(AtomicLongArray stamps, long timeoutMillis, String what) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    long lastReport = System.nanoTime();
    while (true) {
      int done = 0;
      for (int i = 0; i < stamps.length(); i++) {
        if (stamps.get(i) != 0) {
          done++;
        }
      }
      if (done == stamps.length()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        System.out.printf("bench: timed out: %d of %d %s%n", done, stamps.length(), what);
        return false;
      }
      if (System.nanoTime() - lastReport > 10_000_000_000L) {
        System.out.printf("bench:   %d of %d %s%n", done, stamps.length(), what);
        lastReport = System.nanoTime();
      }
      Sleep.millis(50);
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
