package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.reconciler.ProvisioningSteps;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.Event;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Changes made by hand on the server are found by the periodic resync, put back, and reported with
 * a Warning event. A dropped database is not silently re-created empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DriftContract {
  static final Duration RESYNC = Duration.ofSeconds(2);

  /** Detection within the resync interval, plus the time a reconcile takes. */
  static final Duration WITHIN = RESYNC.plusSeconds(10);

  private static final AtomicInteger SEQ = new AtomicInteger();

  /** How often each provisioning step ran, by "namespace/name|STEP". */
  private final Map<String, AtomicInteger> steps = new java.util.concurrent.ConcurrentHashMap<>();

  protected OperatorHarness h;
  protected DbFixture db;
  private String server;

  protected abstract DbFixture fixture();

  /** Changes the user's password on the server, bypassing the operator. */
  protected abstract void changePassword(String user) throws SQLException;

  /** Revokes what the operator granted, or widens access (engine-specific). */
  protected abstract void tamperWithGrants(String database, String user) throws SQLException;

  /** True when the tampering of {@link #tamperWithGrants} is visible on the server. */
  protected abstract boolean grantsTampered(String database, String user) throws SQLException;

  protected abstract void dropUser(String database, String user) throws SQLException;

  protected abstract void dropDatabase(String database) throws SQLException;

  /** What a DBA restoring a backup would do: the database exists again (empty here). */
  protected abstract void restoreDatabase(String database) throws SQLException;

  @BeforeAll
  void start() {
    db = fixture();
    h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withSqlTimeout(Duration.ofSeconds(5))
                .withResyncInterval(RESYNC)
                .withSteps(
                    (step, appDatabase) ->
                        steps
                            .computeIfAbsent(appDatabase + "|" + step, k -> new AtomicInteger())
                            .incrementAndGet()));
    server = "drift-" + db.engine().value();
    h.registerServer(server, db.engine(), db.host(), db.port(), db.adminUser(), db.adminPassword());
    h.awaitServer(server, "True", Reasons.CONNECTED);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private Map<String, String> provision(String ns) {
    h.namespace(ns, Map.of());
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace(ns);
    adb.getMetadata().setName("app");
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef(server));
    h.create(adb);
    h.awaitReady(ns, "app");
    return h.secretData(ns, "app-db");
  }

  private String ns(String what) {
    return "drift-" + what + "-" + db.engine().value().charAt(0) + SEQ.incrementAndGet();
  }

  private void awaitWarning(String ns, String reason) {
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () ->
                assertThat(h.events(ns))
                    .filteredOn(e -> "Warning".equals(e.getType()))
                    .extracting(Event::getReason)
                    .contains(reason));
  }

  private int stepCount(String ns, ProvisioningSteps.Step step) {
    AtomicInteger n = steps.get(ns + "/app|" + step);
    return n == null ? 0 : n.get();
  }

  @Test
  void anUntouchedAppDatabaseIsResyncedFromTheCatalogSnapshot() throws Exception {
    String ns = ns("untouched");
    Map<String, String> s = provision(ns);
    int fullChecks = stepCount(ns, ProvisioningSteps.Step.CLAIM);

    await()
        .atMost(WITHIN.multipliedBy(2))
        .until(
            () ->
                stepCount(ns, ProvisioningSteps.Step.VERIFY)
                        + stepCount(ns, ProvisioningSteps.Step.CLAIM)
                    >= fullChecks + 3);

    // Both drift ITs run on servers whose snapshot judges (PostgreSQL 17, MariaDB): the resyncs
    // are the login check alone, never the full checks again.
    assertThat(stepCount(ns, ProvisioningSteps.Step.CLAIM)).isEqualTo(fullChecks);
    assertThat(stepCount(ns, ProvisioningSteps.Step.VERIFY)).isGreaterThanOrEqualTo(3);
    assertThat(h.events(ns)).noneMatch(e -> "Warning".equals(e.getType()));
    assertThat(db.canLogin(s.get("DB_NAME"), s.get("DB_USER"), s.get("DB_PASSWORD"))).isTrue();
  }

  @Test
  void aPasswordChangedByHandIsPutBack() throws Exception {
    String ns = ns("password");
    Map<String, String> s = provision(ns);
    changePassword(s.get("DB_USER"));
    await()
        .atMost(WITHIN)
        .until(() -> db.canLogin(s.get("DB_NAME"), s.get("DB_USER"), s.get("DB_PASSWORD")));
    awaitWarning(ns, Reasons.DRIFT_CORRECTED);
  }

  @Test
  void grantsChangedByHandArePutBack() throws Exception {
    String ns = ns("grants");
    Map<String, String> s = provision(ns);
    tamperWithGrants(s.get("DB_NAME"), s.get("DB_USER"));
    assertThat(grantsTampered(s.get("DB_NAME"), s.get("DB_USER"))).isTrue();
    await().atMost(WITHIN).until(() -> !grantsTampered(s.get("DB_NAME"), s.get("DB_USER")));
    awaitWarning(ns, Reasons.DRIFT_CORRECTED);
    assertThat(db.canLogin(s.get("DB_NAME"), s.get("DB_USER"), s.get("DB_PASSWORD"))).isTrue();
  }

  @Test
  void aDroppedUserIsCreatedAgain() throws Exception {
    String ns = ns("user");
    Map<String, String> s = provision(ns);
    // No check that it is gone: a resync may already be putting it back.
    dropUser(s.get("DB_NAME"), s.get("DB_USER"));
    await()
        .atMost(WITHIN)
        .until(() -> db.canLogin(s.get("DB_NAME"), s.get("DB_USER"), s.get("DB_PASSWORD")));
    awaitWarning(ns, Reasons.DRIFT_CORRECTED);
  }

  @Test
  void aDroppedDatabaseStallsUntilRestored() throws Exception {
    String ns = ns("database");
    Map<String, String> s = provision(ns);
    dropDatabase(s.get("DB_NAME"));
    h.awaitAppDatabase(
        ns,
        "app",
        WITHIN,
        adb -> OperatorHarness.has(adb, "Stalled", "True", Reasons.DATABASE_MISSING));
    assertThat(db.databaseExists(s.get("DB_NAME")))
        .as("never re-created empty behind the application's back")
        .isFalse();
    awaitWarning(ns, Reasons.DATABASE_MISSING);

    restoreDatabase(s.get("DB_NAME"));
    h.awaitAppDatabase(
        ns, "app", WITHIN, adb -> OperatorHarness.has(adb, "Ready", "True", Reasons.PROVISIONED));
    assertThat(db.canLogin(s.get("DB_NAME"), s.get("DB_USER"), s.get("DB_PASSWORD"))).isTrue();
  }
}
