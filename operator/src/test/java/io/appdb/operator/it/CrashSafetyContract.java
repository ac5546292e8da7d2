package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.reconciler.AppDatabaseReconciler;
import io.appdb.operator.reconciler.ProvisioningSteps;
import io.appdb.operator.reconciler.ProvisioningSteps.Step;
import io.appdb.operator.status.Reasons;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash before each provisioning step (the reconcile dies there, as if the process had been
 * killed) must converge on the next reconcile: same names, one user, a password that logs in, no
 * orphan database or user, no second claim. Also: the operator stopped while AppDatabases are being
 * created and deleted, then started again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CrashSafetyContract {
  /** AppDatabases ("ns/name") and the step before which their first attempt crashes. */
  private final Map<String, Step> crashOnce = new ConcurrentHashMap<>();

  private final Set<String> crashed = ConcurrentHashMap.newKeySet();

  private static final String FINALIZER_NS = "finalizer-first";

  /** Finalizers of AppDatabases in {@link #FINALIZER_NS}, as stored before their first step. */
  private final Map<String, List<String>> finalizersAtFirstStep = new ConcurrentHashMap<>();

  protected OperatorHarness h;
  protected DbFixture db;
  private String server;

  protected abstract DbFixture fixture();

  @BeforeAll
  void start() {
    db = fixture();
    ProvisioningSteps.Listener crasher =
        (step, appDatabase) -> {
          if (step == Step.CLAIM && appDatabase.startsWith(FINALIZER_NS + "/")) {
            // What is stored when the first SQL is about to run, read from the API server.
            String name = appDatabase.substring(FINALIZER_NS.length() + 1);
            AppDatabase stored = h.get(FINALIZER_NS, name);
            finalizersAtFirstStep.put(
                name,
                stored.getMetadata().getFinalizers() == null
                    ? List.of()
                    : List.copyOf(stored.getMetadata().getFinalizers()));
          }
          if (crashOnce.get(appDatabase) == step && crashed.add(appDatabase)) {
            throw new IllegalStateException("injected crash before " + step);
          }
        };
    h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withSqlTimeout(Duration.ofSeconds(5))
                .withResyncInterval(Duration.ofSeconds(5))
                .withSteps(crasher));
    server = "crash-" + db.engine().value();
    h.registerServer(server, db.engine(), db.host(), db.port(), db.adminUser(), db.adminPassword());
    h.awaitServer(server, "True", Reasons.CONNECTED);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private AppDatabase adb(String ns, String name, DeletionPolicy policy) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace(ns);
    adb.getMetadata().setName(name);
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef(server));
    adb.getSpec().setDeletionPolicy(policy);
    return adb;
  }

  @ParameterizedTest
  @EnumSource(
      value = Step.class,
      names = {"CLAIM", "SECRET", "USER", "DATABASE", "GRANTS", "LOGIN_CHECK", "STATUS"})
  void aCrashBeforeEachStepConverges(Step step) throws Exception {
    String ns = "crash-" + step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    h.namespace(ns, Map.of());
    crashOnce.put(ns + "/app", step);
    h.create(adb(ns, "app", DeletionPolicy.Retain));

    AppDatabase ready = h.awaitReady(ns, "app");
    assertThat(crashed).contains(ns + "/app");
    Map<String, String> secret = h.secretData(ns, "app-db");
    String database = ready.getStatus().getDatabaseName();
    String user = ready.getStatus().getUsername();
    assertThat(secret.get("DB_NAME")).isEqualTo(database);
    assertThat(db.canLogin(database, user, secret.get("DB_PASSWORD"))).isTrue();
    assertThat(db.claimsOf(ns, "app")).containsExactly("database:" + database, "user:" + user);
    assertThat(db.databaseExists(database)).isTrue();
    assertThat(db.userExists(user)).isTrue();
  }

  /**
   * The finalizer is added when an AppDatabase gets its turn on the server, not on arrival; it must
   * still be stored before anything is created, or a deletion in between would leave an orphan.
   */
  @org.junit.jupiter.api.Test
  void theFinalizerIsStoredBeforeAnythingIsCreated() throws Exception {
    h.namespace(FINALIZER_NS, Map.of());
    h.create(adb(FINALIZER_NS, "deleted", DeletionPolicy.Delete));
    h.create(adb(FINALIZER_NS, "retained", DeletionPolicy.Retain));
    h.awaitReady(FINALIZER_NS, "deleted");
    h.awaitReady(FINALIZER_NS, "retained");
    assertThat(finalizersAtFirstStep)
        .containsEntry("deleted", List.of(AppDatabaseReconciler.FINALIZER))
        .containsEntry("retained", List.of());
  }

  @ParameterizedTest
  @EnumSource(
      value = Step.class,
      names = {"DROP"})
  void aCrashDuringDeletionConverges(Step step) throws Exception {
    String ns = "crash-delete";
    h.namespace(ns, Map.of());
    h.create(adb(ns, "app", DeletionPolicy.Delete));
    AppDatabase ready = h.awaitReady(ns, "app");
    crashOnce.put(ns + "/app", step);
    h.client().resource(ready).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> h.get(ns, "app") == null);
    assertThat(crashed).contains(ns + "/app");
    assertThat(db.databaseExists(ready.getStatus().getDatabaseName())).isFalse();
    assertThat(db.userExists(ready.getStatus().getUsername())).isFalse();
    assertThat(db.claimsOf(ns, "app")).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void operatorStoppedWhileCreatingAndDeletingThenStartedAgain() throws Exception {
    String ns = "restart";
    h.namespace(ns, Map.of());
    List<AppDatabase> doomed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      h.create(adb(ns, "old" + i, DeletionPolicy.Delete));
    }
    for (int i = 0; i < 4; i++) {
      doomed.add(h.awaitReady(ns, "old" + i));
    }
    for (int i = 0; i < 6; i++) {
      h.create(adb(ns, "new" + i, DeletionPolicy.Retain));
    }
    doomed.forEach(d -> h.client().resource(d).delete());
    AppDatabaseOperatorContract.sleep(Duration.ofMillis(300));
    h.stopOperator(); // mid-flight: some creations and deletions done, some not
    h.startOperator();

    for (int i = 0; i < 6; i++) {
      AppDatabase ready = h.awaitReady(ns, "new" + i);
      Map<String, String> secret = h.secretData(ns, "new" + i + "-db");
      assertThat(
              db.canLogin(
                  ready.getStatus().getDatabaseName(),
                  ready.getStatus().getUsername(),
                  secret.get("DB_PASSWORD")))
          .isTrue();
      assertThat(db.claimsOf(ns, "new" + i)).hasSize(2);
    }
    for (AppDatabase d : doomed) {
      String name = d.getMetadata().getName();
      await().atMost(Duration.ofSeconds(60)).until(() -> h.get(ns, name) == null);
      assertThat(db.databaseExists(d.getStatus().getDatabaseName())).isFalse();
      assertThat(db.userExists(d.getStatus().getUsername())).isFalse();
      assertThat(db.claimsOf(ns, name)).isEmpty();
    }
  }
}
