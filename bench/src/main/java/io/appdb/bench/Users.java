package io.appdb.bench;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The app teams' side of a burst, the same for the operator and for the limit: every AppDatabase of
 * a fleet is created (or deleted) with the bench's client from {@link #SUBMITTERS} threads, and
 * each request is stamped when sent. Whatever provisions the AppDatabase (the operator, or the
 * limit's workers) only starts from the stored object.
 */
final class Users {
  /**
   * Threads issuing the creates and deletes, as many as the limit's workers (8 per engine). With 4,
   * submitting 1000 took seconds under load, and the MariaDB half, interleaved with PostgreSQL's,
   * waited in that queue.
   */
  static final int SUBMITTERS = 16;

  private final BenchEnvironment env;

  Users(BenchEnvironment env) {
    this.env = env;
  }

  /**
   * Creates every AppDatabase of {@code fleet} (with {@code finalizer} set when not null), stamping
   * {@code sent} before each request; {@code then} receives each stored object.
   */
  void createAll(
      Fleet fleet,
      AtomicLongArray sent,
      String finalizer,
      BiConsumer<Fleet.Item, AppDatabase> then) {
    submitAll(
        fleet,
        item -> {
          AppDatabase adb = Fleet.resource(item, BenchEnvironment.serverName(item.engine()));
          if (finalizer != null) {
            adb.getMetadata().setFinalizers(List.of(finalizer));
          }
          sent.set(item.index(), System.nanoTime());
          AppDatabase created = env.bench.resource(adb).create();
          then.accept(item, created);
        });
  }

  /** Deletes every AppDatabase of {@code fleet}, stamping {@code sent} before each request. */
  void deleteAll(Fleet fleet, AtomicLongArray sent, Consumer<Fleet.Item> then) {
    submitAll(
        fleet,
        item -> {
          sent.set(item.index(), System.nanoTime());
          env.bench
              .resources(AppDatabase.class)
              .inNamespace(item.namespace())
              .withName(item.name())
              .delete();
          then.accept(item);
        });
  }

  /** Runs {@code work} once per item from the submitter threads; returns when all have run. */
  private static void submitAll(Fleet fleet, Consumer<Fleet.Item> work) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            SUBMITTERS, r -> new Thread(r, "bench-submit-" + n.incrementAndGet()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Fleet.Item item : fleet.items) {
        futures.add(pool.submit(() -> work.accept(item)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("submitting requests", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
