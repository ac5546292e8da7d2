package io.appdb.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.observability.OperatorMetrics.AppDatabaseState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OperatorMetrics metrics = new OperatorMetrics(registry);

  private double appDatabases(String condition) {
    return registry.get("appdb.appdatabases").tag("condition", condition).gauge().value();
  }

  @Test
  void sqlStatementsAreTimedPerServerAndOperation() {
    metrics.recordSql("pg", "claimDatabase", Duration.ofMillis(20), false);
    metrics.recordSql("pg", "claimDatabase", Duration.ofMillis(30), false);
    metrics.recordSql("pg", "dropUser", Duration.ofMillis(5), false);
    metrics.recordSql("maria", "claimDatabase", Duration.ofMillis(7), false);

    var timer =
        registry.get("appdb.sql.statement").tag("server", "pg").tag("operation", "claimDatabase");
    assertThat(timer.timer().count()).isEqualTo(2);
    assertThat(timer.timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50.0);
    assertThat(registry.get("appdb.sql.statement").tag("server", "maria").timer().count())
        .isEqualTo(1);
  }

  @Test
  void errorsAreCountedAndTheCounterExistsBeforeTheFirstError() {
    metrics.recordSql("pg", "probe", Duration.ofMillis(1), false);
    var errors = registry.get("appdb.sql.errors").tag("server", "pg").tag("operation", "probe");
    assertThat(errors.counter().count()).isZero();

    metrics.recordSql("pg", "probe", Duration.ofMillis(1), true);
    metrics.recordSql("pg", "probe", Duration.ofMillis(1), true);

    assertThat(errors.counter().count()).isEqualTo(2.0);
    assertThat(registry.get("appdb.sql.statement").tag("operation", "probe").timer().count())
        .as("failed statements are timed too")
        .isEqualTo(3);
  }

  @Test
  void adminConnectionsAreReadAtScrapeTime() {
    AtomicInteger inUse = new AtomicInteger(1);
    metrics.registerAdminConnections("pg", inUse::get);
    var gauge = registry.get("appdb.admin.connections.in.use").tag("server", "pg").gauge();

    assertThat(gauge.value()).isEqualTo(1.0);
    inUse.set(2);
    System.gc();
    assertThat(gauge.value()).as("supplier must be held strongly").isEqualTo(2.0);
  }

  @Test
  void registeringAServerAgainReplacesItsSupplier() {
    metrics.registerAdminConnections("pg", () -> 1);
    metrics.registerAdminConnections("pg", () -> 5);

    assertThat(registry.find("appdb.admin.connections.in.use").gauges()).hasSize(1);
    assertThat(registry.get("appdb.admin.connections.in.use").tag("server", "pg").gauge().value())
        .isEqualTo(5.0);
  }

  @Test
  void unregisterRemovesEveryMeterOfThatServerOnly() {
    metrics.registerAdminConnections("pg", () -> 1);
    metrics.registerAdminConnections("maria", () -> 1);
    metrics.recordSql("pg", "probe", Duration.ofMillis(1), true);
    metrics.recordSql("maria", "probe", Duration.ofMillis(1), true);

    metrics.unregister("pg");

    assertThat(registry.find("appdb.admin.connections.in.use").tag("server", "pg").gauge())
        .isNull();
    assertThat(registry.find("appdb.sql.statement").tag("server", "pg").timer()).isNull();
    assertThat(registry.find("appdb.sql.errors").tag("server", "pg").counter()).isNull();
    assertThat(registry.find("appdb.admin.connections.in.use").tag("server", "maria").gauge())
        .isNotNull();
    assertThat(registry.find("appdb.sql.statement").tag("server", "maria").timer()).isNotNull();
  }

  @Test
  void recordingAfterUnregisterStartsFresh() {
    metrics.recordSql("pg", "probe", Duration.ofMillis(1), true);
    metrics.unregister("pg");
    metrics.recordSql("pg", "probe", Duration.ofMillis(1), false);

    assertThat(registry.get("appdb.sql.statement").tag("server", "pg").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("appdb.sql.errors").tag("server", "pg").counter().count()).isZero();
  }

  @Test
  void appDatabasesByConditionStartAtZero() {
    assertThat(appDatabases("Ready")).isZero();
    assertThat(appDatabases("Reconciling")).isZero();
    assertThat(appDatabases("Stalled")).isZero();
  }

  @Test
  void eachAppDatabaseIsCountedOnceUnderItsLatestState() {
    metrics.recordAppDatabase("a", "db", AppDatabaseState.RECONCILING);
    metrics.recordAppDatabase("b", "db", AppDatabaseState.RECONCILING);
    metrics.recordAppDatabase("c", "db", AppDatabaseState.STALLED);
    metrics.recordAppDatabase("a", "db", AppDatabaseState.READY);
    metrics.recordAppDatabase("a", "db", AppDatabaseState.READY);

    assertThat(appDatabases("Ready")).isEqualTo(1.0);
    assertThat(appDatabases("Reconciling")).isEqualTo(1.0);
    assertThat(appDatabases("Stalled")).isEqualTo(1.0);
  }

  @Test
  void forgottenAppDatabasesLeaveTheCount() {
    metrics.recordAppDatabase("a", "db", AppDatabaseState.READY);
    metrics.recordAppDatabase("b", "db", AppDatabaseState.READY);

    metrics.forgetAppDatabase("a", "db");
    metrics.forgetAppDatabase("never", "seen");

    assertThat(appDatabases("Ready")).isEqualTo(1.0);
  }
}
