package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.SecretReference;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The database server goes away, answers nothing, or its admin Secret is missing: the right
 * transient condition within a bounded time, nothing lost, and healing without a restart. Runs on
 * the PostgreSQL 15 server, which only this class stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerFaultsIT {
  private static final Duration SQL_TIMEOUT = Duration.ofSeconds(3);

  /** Bound for a fault to show: one timeout per attempt plus backoff and a resync. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  private OperatorHarness h;
  private PostgresServer pg;

  @BeforeAll
  void start() {
    pg = PostgresServer.shared(15);
    h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withSqlTimeout(SQL_TIMEOUT)
                .withResyncInterval(Duration.ofSeconds(3)));
    h.namespace("faults", Map.of());
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private AppDatabase adb(String name, String server, DeletionPolicy policy) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace("faults");
    adb.getMetadata().setName(name);
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef(server));
    adb.getSpec().setDeletionPolicy(policy);
    return adb;
  }

  private String reason(AppDatabase adb, String type) {
    return Conditions.find(adb.getStatus().getConditions(), type).orElseThrow().getReason();
  }

  @Test
  void aStoppedServerIsReportedAndEverythingHealsWhenItIsBack() throws Exception {
    h.registerServer(
        "pg15", Engine.POSTGRESQL, pg.host(), pg.port(), pg.adminUser(), pg.adminPassword());
    h.awaitServer("pg15", "True", Reasons.CONNECTED);
    h.create(adb("steady", "pg15", DeletionPolicy.Retain));
    h.create(adb("doomed", "pg15", DeletionPolicy.Delete));
    AppDatabase steady = h.awaitReady("faults", "steady");
    AppDatabase doomed = h.awaitReady("faults", "doomed");

    pg.stop();
    try {
      h.awaitServer("pg15", "False", Reasons.SERVER_UNAVAILABLE);
      h.create(adb("during", "pg15", DeletionPolicy.Retain));
      h.awaitAppDatabase(
          "faults",
          "during",
          BOUND,
          a -> OperatorHarness.has(a, "Reconciling", "True", Reasons.SERVER_UNAVAILABLE));

      h.client().resource(doomed).delete();
      AppDatabase waiting =
          h.awaitAppDatabase(
              "faults",
              "doomed",
              BOUND,
              a ->
                  OperatorHarness.has(a, "Reconciling", "True", Reasons.SERVER_UNAVAILABLE)
                      && Conditions.find(a.getStatus().getConditions(), "Reconciling")
                          .orElseThrow()
                          .getMessage()
                          .contains("deletion waits"));
      assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(
              Conditions.find(waiting.getStatus().getConditions(), "Reconciling")
                  .orElseThrow()
                  .getMessage())
          .contains("deletion waits");
    } finally {
      pg.start();
    }

    h.awaitServer("pg15", "True", Reasons.CONNECTED);
    AppDatabase during = h.awaitReady("faults", "during");
    Map<String, String> secret = h.secretData("faults", "during-db");
    try (var c =
        pg.connect(
            during.getStatus().getDatabaseName(),
            during.getStatus().getUsername(),
            secret.get("DB_PASSWORD"))) {
      assertThat(c.isValid(5)).isTrue();
    }
    await().atMost(BOUND).until(() -> h.get("faults", "doomed") == null);
    try (var c = pg.superuser();
        var s = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname IN (?, ?)")) {
      s.setString(1, doomed.getStatus().getDatabaseName());
      s.setString(2, steady.getStatus().getDatabaseName());
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("doomed dropped, steady kept").isEqualTo(1);
      }
    }
    assertThat(reason(h.awaitReady("faults", "steady"), "Ready")).isEqualTo(Reasons.PROVISIONED);
  }

  @Test
  void aMissingAdminSecretIsReportedAndHealsWhenCreated() {
    DatabaseServer server = new DatabaseServer();
    server.getMetadata().setName("no-secret");
    server.setSpec(new io.appdb.operator.api.v1alpha1.DatabaseServerSpec());
    server.getSpec().setEngine(Engine.POSTGRESQL);
    server.getSpec().setHost(pg.host());
    server.getSpec().setPort(pg.port());
    server
        .getSpec()
        .setAdminSecretRef(new SecretReference("late-admin", OperatorHarness.ADMIN_NAMESPACE));
    h.client().resource(server).create();
    h.awaitServer("no-secret", "False", Reasons.ADMIN_SECRET_NOT_FOUND);
    h.writeAdminSecret("late-admin", pg.adminUser(), pg.adminPassword());
    h.awaitServer("no-secret", "True", Reasons.CONNECTED);
  }

  @Test
  void aServerThatNeverAnswersTimesOutAndBlocksNobodyElse() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!blackhole.isClosed()) {
                  try {
                    held.add(blackhole.accept()); // accept, then never say a word
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "blackhole");
      acceptor.setDaemon(true);
      acceptor.start();

      long t0 = System.nanoTime();
      h.registerServer(
          "blackhole", Engine.POSTGRESQL, "127.0.0.1", blackhole.getLocalPort(), "a", "b");
      h.awaitServer("blackhole", "False", Reasons.SERVER_UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(BOUND);
      h.create(adb("silent", "blackhole", DeletionPolicy.Retain));
      h.awaitAppDatabase(
          "faults",
          "silent",
          BOUND,
          a -> OperatorHarness.has(a, "Reconciling", "True", Reasons.SERVER_UNAVAILABLE));

      // Meanwhile, work on a healthy server is not held up by the silent one.
      h.registerServer(
          "pg15-healthy",
          Engine.POSTGRESQL,
          pg.host(),
          pg.port(),
          pg.adminUser(),
          pg.adminPassword());
      h.create(adb("healthy", "pg15-healthy", DeletionPolicy.Retain));
      h.awaitReady("faults", "healthy");
      assertThat(held).as("the operator did connect to the silent server").isNotEmpty();
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
