package io.appdb.operator.reconciler;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
 * the back of the queue. A wake-up that is not taken up (the woken AppDatabase was deleted, or no
 * longer gets as far as asking for a slot) is passed on to the next waiter: at once when the
 * resource is forgotten, else after {@link #WAKE_LEASE}, so that lost wake-ups cannot shrink a
 * server's capacity.
 *
 * <p>The reschedule delay is only a fallback for a wake-up that leads nowhere (the woken resource
 * no longer needs the server): several times the time the server needs to work through the queue,
 * from the average time a slot was held (see {@link #FALLBACK_FACTOR}). An earlier version relied
 * on that estimate alone and gave every waiter in a burst nearly the whole queue's time: the server
 * sat idle while its queue slept (the benchmark deleted at half the limit's pace with the CPU
 * two-thirds idle).
 *
 * <p>Written here rather than taken from JOSDK because JOSDK's rate limiter counts reconciles per
 * resource, not per shared backend.
 */
final class ServerSlots {
  /**
   * Reconciles in flight per admin connection: while some wait for the API server (the Secret
   * write) or log in as the new account, others keep the admin connections busy. In the benchmark
   * (admin pool cap 2, so 16 per server) the operator's MariaDB half ran at 109-123 creates per
   * second in four runs with 8, and at 86-120 (median 106) in eleven with 4
   * (`bench/results/history.md`, fourth session).
   */
  static final int SLOTS_PER_CONNECTION = 8;

  /**
   * How many reconciles may work on a server whose provisioning has {@code connections} admin
   * connections ({@code DatabaseEngine.provisioningConnections}: on PostgreSQL one fewer than
   * maxConnections).
   */
  static int capacity(int connections) {
    return Math.max(1, connections) * SLOTS_PER_CONNECTION;
  }

  static final Duration MIN_DELAY = Duration.ofSeconds(1);

  /**
   * Cap of the fallback delay. It must stay above the time a burst's queue takes (about 40 s for
   * 500 AppDatabases on one PostgreSQL here): a fallback that fires while its woken reconcile runs
   * queues a second reconcile right behind it.
   */
  static final Duration MAX_DELAY = Duration.ofMinutes(10);

  /**
   * Fallback delay over the estimated wait. The estimate is rough: the average hold time mixes the
   * kinds of work the server did last (holds while deleting are half as long as while creating), so
   * a fallback at twice the estimate can fire before the wake-up of a create that follows
   * deletions.
   */
  static final int FALLBACK_FACTOR = 4;

  /** How long a woken reconcile has to ask for its slot before the wake-up goes to the next. */
  static final Duration WAKE_LEASE = Duration.ofSeconds(5);

  private final Map<String, Server> servers = new ConcurrentHashMap<>();
  private final Consumer<Object> wake;
  private final LongSupplier nanoClock;

  /** Without wake-ups: waiters return on their reschedule delay alone. */
  ServerSlots() {
    this(resource -> {});
  }

  /**
   * @param wake triggers a reconcile of a waiting resource now that a slot is free
   */
  ServerSlots(Consumer<Object> wake) {
    this(wake, System::nanoTime);
  }

  ServerSlots(Consumer<Object> wake, LongSupplier nanoClock) {
    this.wake = wake;
    this.nanoClock = nanoClock;
  }

  /** A slot held by one reconcile; closing it gives it back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes a slot on {@code server} for {@code resource}, or returns empty when all {@code
   * connections * SLOTS_PER_CONNECTION} are taken.
   */
  Optional<Slot> tryEnter(String server, int connections, Object resource) {
    Server s = servers.computeIfAbsent(server, k -> new Server());
    int capacity = capacity(connections);
    if (s.capacity != capacity) {
      wakeNext(s, s.resize(capacity));
    }
    s.arrived(resource);
    wakeNext(s, s.expireWakes(nanoClock.getAsLong() - WAKE_LEASE.toNanos()));
    if (!s.permits.tryAcquire()) {
      s.enqueue(resource);
      return Optional.empty();
    }
    s.dequeue(resource);
    long start = nanoClock.getAsLong();
    return Optional.of(
        new Slot() {
          private boolean closed;

          @Override
          public void close() {
            if (!closed) {
              closed = true;
              s.recordHold(nanoClock.getAsLong() - start);
              s.permits.release();
              wakeNext(s, 1);
            }
          }
        });
  }

  /** Forgets a resource that may have waited and now goes away (deleted). */
  void forget(Object resource) {
    for (Server s : servers.values()) {
      s.dequeue(resource);
      if (s.arrived(resource)) {
        wakeNext(s, 1);
      }
    }
  }

  private void wakeNext(Server s, int count) {
    for (int i = 0; i < count; i++) {
      s.next(nanoClock.getAsLong()).ifPresent(wake);
    }
  }

  /**
   * When a reconcile turned away from {@code server} should try again if no wake-up comes first.
   */
  Duration retryDelay(String server) {
    Server s = servers.get(server);
    if (s == null || s.averageHoldNanos() == 0) {
      // No slot given back yet, so no estimate: the first wave of a burst would otherwise return
      // together after MIN_DELAY, and those woken just before would run a second time (the
      // fallback's reconcile queues behind the one the wake-up started).
      return MAX_DELAY;
    }
    double queueMillis =
        FALLBACK_FACTOR
            * s.averageHoldNanos()
            / 1e6
            * (double) s.waitingCount()
            / Math.max(1, s.capacity);
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

    /** Woken resources that have not asked for their slot yet, oldest first, with wake time. */
    private final LinkedHashMap<Object, Long> woken = new LinkedHashMap<>();

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

    /** Takes the longest-waiting resource off the queue, if any, as woken at {@code now}. */
    synchronized Optional<Object> next(long now) {
      Iterator<Object> it = waiting.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Object first = it.next();
      it.remove();
      woken.remove(first); // re-inserted at the end: the map stays in wake order
      woken.put(first, now);
      return Optional.of(first);
    }

    /** Notes that {@code resource} came for its slot; true if it had been woken. */
    synchronized boolean arrived(Object resource) {
      return woken.remove(resource) != null;
    }

    /** Drops wake-ups older than {@code cutoff}; returns how many, to be passed on. */
    synchronized int expireWakes(long cutoff) {
      int expired = 0;
      Iterator<Long> it = woken.values().iterator();
      while (it.hasNext()) {
        if (it.next() - cutoff >= 0) {
          break;
        }
        it.remove();
        expired++;
      }
      return expired;
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
