package io.appdb.operator.reconciler;

import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.DatabaseEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
        entry.snapshot = engine.snapshot();
        entry.takenAt = System.nanoTime();
      }
      return entry.snapshot;
    }
  }

  /** Drops the snapshot of a server that went away or whose engine was replaced. */
  void forget(String server) {
    servers.remove(server);
  }

  private static final class Entry {
    CatalogSnapshot snapshot;
    long takenAt;
  }
}
