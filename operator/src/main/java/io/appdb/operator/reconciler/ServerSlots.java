package io.appdb.operator.reconciler;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds how many reconciles work on one server at a time, without holding a thread while they
 * wait.
 *
 * <p>All controllers share JOSDK's fixed reconciler thread pool. Without a bound, a burst on a slow
 * server (PostgreSQL's CREATE DATABASE copies a template) fills every thread with reconciles queued
 * on that server's few admin connections, and a fast server next to it waits behind them: in the
 * benchmark MariaDB ran at the pace of PostgreSQL. With a bound, a reconcile that finds its server
 * busy gives its thread back and is rescheduled; it is neither an error nor a status change. The
 * delay follows the queue: roughly the time the server needs to work through the reconciles already
 * waiting, from the average time a slot was held, with jitter so that they do not return together.
 *
 * <p>Written here rather than taken from JOSDK because JOSDK's rate limiter counts reconciles per
 * resource, not per shared backend.
 */
final class ServerSlots {
  /** Reconciles in flight per admin connection: room for the Secret write and the login check. */
  static final int SLOTS_PER_CONNECTION = 4;

  static final Duration MIN_DELAY = Duration.ofMillis(50);
  static final Duration MAX_DELAY = Duration.ofSeconds(10);

  private final Map<String, Server> servers = new ConcurrentHashMap<>();

  /** A slot held by one reconcile; closing it gives it back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes a slot on {@code server} for {@code resource}, or returns empty when all {@code
   * maxConnections * SLOTS_PER_CONNECTION} are taken.
   */
  Optional<Slot> tryEnter(String server, int maxConnections, Object resource) {
    Server s = servers.computeIfAbsent(server, k -> new Server());
    int capacity = Math.max(1, maxConnections) * SLOTS_PER_CONNECTION;
    if (s.capacity != capacity) {
      s.resize(capacity);
    }
    if (!s.permits.tryAcquire()) {
      s.waiting.add(resource);
      return Optional.empty();
    }
    s.waiting.remove(resource);
    long start = System.nanoTime();
    return Optional.of(
        new Slot() {
          private boolean closed;

          @Override
          public void close() {
            if (!closed) {
              closed = true;
              s.recordHold(System.nanoTime() - start);
              s.permits.release();
            }
          }
        });
  }

  /** Forgets a resource that may have waited and now goes away (deleted). */
  void forget(Object resource) {
    servers.values().forEach(s -> s.waiting.remove(resource));
  }

  /** When a reconcile turned away from {@code server} should try again. */
  Duration retryDelay(String server) {
    Server s = servers.get(server);
    if (s == null) {
      return MIN_DELAY;
    }
    double queueMillis =
        s.averageHoldNanos() / 1e6 * (double) s.waiting.size() / Math.max(1, s.capacity);
    double jittered = queueMillis * ThreadLocalRandom.current().nextDouble(0.75, 1.25);
    long millis =
        Math.max(MIN_DELAY.toMillis(), Math.min(MAX_DELAY.toMillis(), Math.round(jittered)));
    return Duration.ofMillis(millis);
  }

  /** Reconciles turned away and not yet admitted, for tests and metrics. */
  int waiting(String server) {
    Server s = servers.get(server);
    return s == null ? 0 : s.waiting.size();
  }

  /** A semaphore whose permits can be withdrawn while some are held. */
  private static final class Permits extends Semaphore {
    Permits() {
      super(0);
    }

    void reducePermitsBy(int n) {
      reducePermits(n);
    }
  }

  private static final class Server {
    final Permits permits = new Permits();
    final Set<Object> waiting = ConcurrentHashMap.newKeySet();

    /** Exponentially weighted average of how long a slot is held, in nanoseconds. */
    final AtomicLong averageHold = new AtomicLong();

    volatile int capacity;

    /** Follows a changed maxConnections: adds or withdraws the difference in permits. */
    synchronized void resize(int wanted) {
      if (wanted > capacity) {
        permits.release(wanted - capacity);
      } else if (wanted < capacity) {
        // Permits held now come back on release; the surplus is withdrawn as it frees up.
        permits.reducePermitsBy(capacity - wanted);
      }
      capacity = wanted;
    }

    void recordHold(long nanos) {
      averageHold.updateAndGet(old -> old == 0 ? nanos : old + (nanos - old) / 8);
    }

    long averageHoldNanos() {
      return averageHold.get();
    }
  }
}
