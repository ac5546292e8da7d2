package io.appdb.playground;

import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * PostgreSQL 17 and MariaDB 11.4, the same embedded servers the operator's tests use: password
 * authentication everywhere and a least-privileged admin {@code appdb_admin}. Both start at once,
 * since each spends most of its start-up waiting on its own process.
 */
final class EmbeddedDatabases implements AutoCloseable {

  static final int POSTGRES_MAJOR = 17;

  /** A server could not start; the message says which and why. */
  static final class StartFailure extends Exception {
    StartFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final PostgresServer postgres;
  private final MariaDbServer mariadb;

  private EmbeddedDatabases(PostgresServer postgres, MariaDbServer mariadb) {
    this.postgres = postgres;
    this.mariadb = mariadb;
  }

  /** Data under {@code workDir}; unpacked binaries are kept under {@code binaryCache}. */
  static EmbeddedDatabases start(Path workDir, Path binaryCache, Progress progress)
      throws StartFailure {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      long mark = progress.mark();
      CompletableFuture<PostgresServer> pg =
          CompletableFuture.supplyAsync(
              () -> {
                PostgresServer s =
                    PostgresServer.startPrivate(
                        POSTGRES_MAJOR,
                        workDir.resolve("postgres"),
                        binaryCache.resolve("postgresql-" + POSTGRES_MAJOR));
                progress.done(s.version() + " ready on " + s.host() + ":" + s.port(), mark);
                return s;
              },
              threads);
      CompletableFuture<MariaDbServer> maria =
          CompletableFuture.supplyAsync(
              () -> {
                MariaDbServer s =
                    MariaDbServer.startPrivate(
                        workDir.resolve("mariadb"), binaryCache.resolve("mariadb-11.4"));
                progress.done(s.version() + " ready on " + s.host() + ":" + s.port(), mark);
                return s;
              },
              threads);
      PostgresServer postgres = await(pg, "PostgreSQL " + POSTGRES_MAJOR, maria, null);
      MariaDbServer mariadb = await(maria, "MariaDB", null, postgres);
      return new EmbeddedDatabases(postgres, mariadb);
    } finally {
      threads.shutdown();
    }
  }

  /** Waits for one server; on failure stops whatever the other start produced. */
  private static <T> T await(
      CompletableFuture<T> future,
      String name,
      CompletableFuture<MariaDbServer> otherPending,
      PostgresServer otherStarted)
      throws StartFailure {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (otherPending != null) {
        try {
          otherPending.join().close();
        } catch (CompletionException ignored) {
          // It failed as well; nothing to stop.
        }
      }
      if (otherStarted != null) {
        otherStarted.close();
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StartFailure("embedded " + name + " could not start: " + describe(cause), cause);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      text.append("; caused by: ").append(c.getMessage());
    }
    return text.toString();
  }

  PostgresServer postgres() {
    return postgres;
  }

  MariaDbServer mariadb() {
    return mariadb;
  }

  @Override
  public void close() {
    postgres.close();
    mariadb.close();
  }
}
