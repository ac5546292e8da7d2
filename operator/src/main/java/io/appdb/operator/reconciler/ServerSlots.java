package io.appdb.operator.reconciler;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Bounds how many reconciles work on one server at a time, without holding a thread while they
 * wait.
 *
 * <p>All controllers share JOSDK's fixed reconciler thread pool. Without a bound, a burst on a slow
 * server (PostgreSQL's CREATE DATABASE copies a template) fills every thread with reconciles queued
 * on that server's few admin connections, and a fast server next to it waits behind them: in the
 * benchmark MariaDB ran at the pace of PostgreSQL. With a bound, a reconcile that finds its server
 * busy gives its thread back and joins the server's queue; it is neither an error nor a status
 * change. Each slot given back wakes the longest-waiting reconcile at once (through {@code wake}, a
 * JOSDK inbound event source in production). A reconcile that finds the slot taken by then goes to
 * the back of the queue.
 *
 * <p>The reschedule delay is only a fallback for a wake-up that leads nowhere (the woken resource
 * no longer needs the server): about twice the time the server needs to work through the queue,
 * from the average time a slot was held. An earlier version relied on that estimate alone and gave
 * every waiter in a burst nearly the whole queue's time: the server sat idle while its queue slept
 * (the benchmark deleted at half the limit's pace with the CPU two-thirds idle).
 *
 * <p>Written here rather than taken from JOSDK because JOSDK's rate limiter counts reconciles per
 * resource, not per shared backend.
 */
final class ServerSlots {
  /** Reconciles in flight per admin connection: room for the Secret write and the login check. */
  static final int SLOTS_PER_CONNECTION = 4;

  static final Duration MIN_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private final Map<String, Server> servers = new ConcurrentHashMap<>();
  private final Consumer<Object> wake;

  /** Without wake-ups: waiters return on their reschedule delay alone. */
  ServerSlots() {
    this(resource -> {});
  }

  /**
   * @param wake triggers a reconcile of a waiting resource now that a slot is free
   */
  ServerSlots(Consumer<Object> wake) {
    this.wake = wake;
  }

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
      for (int added = s.resize(capacity); added > 0; added--) {
        s.next().ifPresent(wake);
      }
    }
    if (!s.permits.tryAcquire()) {
      s.enqueue(resource);
      return Optional.empty();
    }
    s.dequeue(resource);
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
              s.next().ifPresent(wake);
            }
          }
        });
  }

  /** Forgets a resource that may have waited and now goes away (deleted). */
  void forget(Object resource) {
    servers.values().forEach(s -> s.dequeue(resource));
  }

  /**
   * When a reconcile turned away from {@code server} should try again if no wake-up comes first.
   */
  Duration retryDelay(String server) {
    Server s = servers.get(server);
    if (s == null) {
      return MIN_DELAY;
    }
    double queueMillis =
        2 * s.averageHoldNanos() / 1e6 * (double) s.waitingCount() / Math.max(1, s.capacity);
    double jittered = queueMillis * ThreadLocalRandom.current().nextDouble(0.75, 1.25);
    long millis =
        Math.max(MIN_DELAY.toMillis(), Math.min(MAX_DELAY.toMillis(), Math.round(jittered)));
    return Duration.ofMillis(millis);
  }

  /** Reconciles turned away and not yet admitted, for tests and metrics. */
  int waiting(String server) {
    Server s = servers.get(server);
    return s == null ? 0 : s.waitingCount();
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

    /** Turned-away resources, longest-waiting first; guarded by {@code this}. */
    private final LinkedHashSet<Object> waiting = new LinkedHashSet<>();

    /** Exponentially weighted average of how long a slot is held, in nanoseconds. */
    final AtomicLong averageHold = new AtomicLong();

    volatile int capacity;

    /**
     * Follows a changed maxConnections: adds or withdraws the difference in permits.
     *
     * @return how many permits were added
     */
    synchronized int resize(int wanted) {
      int added = wanted - capacity;
      if (added > 0) {
        permits.release(added);
      } else if (added < 0) {
        // Permits held now come back on release; the surplus is withdrawn as it frees up.
        permits.reducePermitsBy(-added);
      }
      capacity = wanted;
      return Math.max(0, added);
    }

    /** Puts {@code resource} at the back of the queue unless it is already in it. */
    synchronized void enqueue(Object resource) {
      waiting.add(resource);
    }

    synchronized void dequeue(Object resource) {
      waiting.remove(resource);
    }

    /** Takes the longest-waiting resource off the queue, if any. */
    synchronized Optional<Object> next() {
      Iterator<Object> it = waiting.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Object first = it.next();
      it.remove();
      return Optional.of(first);
    }

    synchronized int waitingCount() {
      return waiting.size();
    }

    void recordHold(long nanos) {
      averageHold.updateAndGet(old -> old == 0 ? nanos : old + (nanos - old) / 8);
    }

    long averageHoldNanos() {
      return averageHold.get();
    }
  }
}
