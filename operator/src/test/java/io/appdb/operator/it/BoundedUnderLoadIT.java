package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many AppDatabases created at once across two servers: the admin connections each server sees
 * never exceed the DatabaseServer's maxConnections (sampled on the servers themselves, every 20
 * ms), nothing reconciles in a loop once everything is Ready, and the heap stays bounded. The
 * figures are printed; the larger runs are in the benchmark (see README, Performance).
 */
class BoundedUnderLoadIT {
  private static final int PER_SERVER = Integer.getInteger("appdb.load.perServer", 100);
  private static final int MAX_CONNECTIONS = 2;
  private static final Duration RESYNC = Duration.ofSeconds(5);

  @Test
  void adminConnectionsStayCappedAndNothingLoops() throws Exception {
    PostgresServer pg = PostgresServer.shared(17);
    MariaDbServer mdb = MariaDbServer.shared();
    MeterRegistry meters = new SimpleMeterRegistry();
    AtomicInteger peakPg = new AtomicInteger();
    AtomicInteger peakMdb = new AtomicInteger();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (OperatorHarness h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withResyncInterval(RESYNC)
                .withSqlTimeout(Duration.ofSeconds(10))
                .withMeterRegistry(meters))) {
      h.registerServer(
          "load-pg",
          Engine.POSTGRESQL,
          pg.host(),
          pg.port(),
          pg.adminUser(),
          pg.adminPassword(),
          spec -> spec.setMaxConnections(MAX_CONNECTIONS));
      h.registerServer(
          "load-mysql",
          Engine.MYSQL,
          mdb.host(),
          mdb.port(),
          mdb.adminUser(),
          mdb.adminPassword(),
          spec -> spec.setMaxConnections(MAX_CONNECTIONS));
      h.awaitServer("load-pg", "True", Reasons.CONNECTED);
      h.awaitServer("load-mysql", "True", Reasons.CONNECTED);
      h.namespace("load", Map.of());

      try (Connection pgWatch = pg.superuser();
          Connection mdbWatch = mdb.root();
          PreparedStatement pgCount =
              pgWatch.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?");
          PreparedStatement mdbCount =
              mdbWatch.prepareStatement(
                  "SELECT count(*) FROM information_schema.PROCESSLIST WHERE USER = ?")) {
        pgCount.setString(1, pg.adminUser());
        mdbCount.setString(1, mdb.adminUser());
        sampler.scheduleAtFixedRate(
            () -> {
              peakPg.accumulateAndGet(count(pgCount), Math::max);
              peakMdb.accumulateAndGet(count(mdbCount), Math::max);
            },
            0,
            20,
            TimeUnit.MILLISECONDS);

        long heapBefore = heapAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < PER_SERVER; i++) {
          h.create(adb("pg" + i, "load-pg"));
          h.create(adb("my" + i, "load-mysql"));
        }
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> readyCount(h) == 2 * PER_SERVER);
        double seconds = (System.nanoTime() - t0) / 1e9;

        // Steady state: two resync intervals with every AppDatabase Ready.
        double startedBefore = reconciliationsStarted(meters);
        AppDatabaseOperatorContract.sleep(RESYNC.multipliedBy(2).plusSeconds(1));
        double steadyReconciles = reconciliationsStarted(meters) - startedBefore;
        long heapAfter = heapAfterGc();
        sampler.shutdownNow();

        System.out.printf(
            "LOAD: %d AppDatabases on 2 servers Ready in %.1f s (%.1f/s); peak admin connections"
                + " PostgreSQL %d, MariaDB %d (cap %d); %.0f reconciles in %d s of steady state"
                + " (%.2f per AppDatabase per resync); heap after GC %+d KiB (%.1f KiB per"
                + " AppDatabase)%n",
            2 * PER_SERVER,
            seconds,
            2 * PER_SERVER / seconds,
            peakPg.get(),
            peakMdb.get(),
            MAX_CONNECTIONS,
            steadyReconciles,
            RESYNC.multipliedBy(2).plusSeconds(1).toSeconds(),
            steadyReconciles / (2.0 * PER_SERVER) / 2,
            (heapAfter - heapBefore) / 1024,
            (heapAfter - heapBefore) / 1024.0 / (2 * PER_SERVER));

        assertThat(peakPg.get())
            .as("PostgreSQL admin connections")
            .isLessThanOrEqualTo(MAX_CONNECTIONS);
        assertThat(peakMdb.get())
            .as("MariaDB admin connections")
            .isLessThanOrEqualTo(MAX_CONNECTIONS);
        // Each AppDatabase is resynced about twice in the window (plus its server's fan-out);
        // a hot loop would reconcile many times more.
        assertThat(steadyReconciles).isLessThanOrEqualTo(2 * PER_SERVER * 4.0);
      }
    } finally {
      sampler.shutdownNow();
    }
  }

  private static AppDatabase adb(String name, String server) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace("load");
    adb.getMetadata().setName(name);
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef(server));
    return adb;
  }

  private static long readyCount(OperatorHarness h) {
    return h.client().resources(AppDatabase.class).inNamespace("load").list().getItems().stream()
        .filter(
            a -> a.getStatus() != null && Conditions.isTrue(a.getStatus().getConditions(), "Ready"))
        .count();
  }

  private static int count(PreparedStatement s) {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (Exception e) {
      return 0;
    }
  }

  private static double reconciliationsStarted(MeterRegistry registry) {
    return Search.in(registry).name(n -> n.contains("reconciliations.started")).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
