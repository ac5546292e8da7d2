package io.appdb.operator.reconciler;

import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.DatabaseEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One {@link CatalogSnapshot} per server, shared by the resyncs that run within {@code maxAge} of
 * each other: however many AppDatabases a server holds, checking them costs one fixed set of
 * catalog queries per {@code maxAge} instead of a round of statements each.
 *
 * <p>The price is staleness: a hand-made change less than {@code maxAge} older than a resync may be
 * seen only at the next one. {@code maxAge} is kept at most half the resync interval, so a change
 * is still found within the interval and a half, and only resyncs use a snapshot: a change to an
 * AppDatabase or its Secret, a new AppDatabase and every repair go through the live checks.
 */
final class CatalogSnapshots {
  static final Duration MAX_AGE = Duration.ofSeconds(5);

  private final long maxAgeNanos;
  private final Map<String, Entry> servers = new ConcurrentHashMap<>();

  CatalogSnapshots(Duration resyncInterval) {
    Duration half = resyncInterval.dividedBy(2);
    this.maxAgeNanos = (half.compareTo(MAX_AGE) < 0 ? half : MAX_AGE).toNanos();
  }

  /**
   * The current snapshot of {@code server}, read through {@code engine} when there is none younger
   * than the maximum age. Concurrent callers for one server wait for a single read.
   */
  CatalogSnapshot get(String server, DatabaseEngine engine) {
    Entry entry = servers.computeIfAbsent(server, k -> new Entry());
    synchronized (entry) {
      long now = System.nanoTime();
      if (entry.snapshot == null || now - entry.takenAt > maxAgeNanos) {
        CatalogSnapshot fresh = engine.snapshot();
        entry.snapshot = fresh;
        entry.takenAt = System.nanoTime();
        RELEASE.schedule(() -> entry.release(fresh), maxAgeNanos, TimeUnit.NANOSECONDS);
      }
      return entry.snapshot;
    }
  }

  /** Whether a snapshot of {@code server} is held now (for tests). */
  boolean holds(String server) {
    Entry entry = servers.get(server);
    if (entry == null) {
      return false;
    }
    synchronized (entry) {
      return entry.snapshot != null;
    }
  }

  /**
   * Drops each snapshot once it is too old to be used: it holds a row per claimed name and
   * privilege (about 1 KiB per AppDatabase on MySQL) and would otherwise stay in the heap from one
   * resync wave to the next. One daemon thread for all servers and reconcilers.
   */
  private static final ScheduledExecutorService RELEASE =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "appdb-catalog-snapshot-release");
            t.setDaemon(true);
            return t;
          });

  private static final class Entry {
    CatalogSnapshot snapshot;
    long takenAt;

    /** Forgets {@code expired} unless a newer snapshot has replaced it meanwhile. */
    synchronized void release(CatalogSnapshot expired) {
      if (snapshot == expired) {
        snapshot = null;
      }
    }
  }
}
