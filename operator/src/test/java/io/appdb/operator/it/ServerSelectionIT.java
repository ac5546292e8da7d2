package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Which server an AppDatabase lands on, and what a DatabaseServer reports about itself: the default
 * marker, a missing server, and an admin that lacks privileges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerSelectionIT {
  private OperatorHarness h;
  private PostgresServer pg;

  @BeforeAll
  void start() {
    pg = PostgresServer.shared(17);
    h = OperatorHarness.start();
    h.namespace("selection", Map.of());
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private static AppDatabase adb(String name, String server) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace("selection");
    adb.getMetadata().setName(name);
    adb.setSpec(new AppDatabaseSpec());
    if (server != null) {
      adb.getSpec().setServerRef(new ServerRef(server));
    }
    return adb;
  }

  @Test
  void noServerRefUsesTheOneDefaultServerAndRefusesOtherwise() {
    h.create(adb("orphan", null));
    h.awaitCondition("selection", "orphan", "Stalled", "True", Reasons.NO_DEFAULT_SERVER);

    h.writeAdminSecret("default-pg-admin", pg.adminUser(), pg.adminPassword());
    DatabaseServer server = new DatabaseServer();
    server.getMetadata().setName("default-pg");
    server.getMetadata().setAnnotations(Map.of(DatabaseServer.DEFAULT_SERVER_ANNOTATION, "true"));
    server.setSpec(new io.appdb.operator.api.v1alpha1.DatabaseServerSpec());
    server.getSpec().setEngine(Engine.POSTGRESQL);
    server.getSpec().setHost(pg.host());
    server.getSpec().setPort(pg.port());
    server
        .getSpec()
        .setAdminSecretRef(
            new io.appdb.operator.api.v1alpha1.SecretReference(
                "default-pg-admin", OperatorHarness.ADMIN_NAMESPACE));
    h.client().resource(server).create();

    // A default server appearing wakes the AppDatabases that were waiting for one.
    AppDatabase ready = h.awaitReady("selection", "orphan");
    assertThat(ready.getStatus().getServer()).isEqualTo("default-pg");
  }

  @Test
  void aMissingServerStallsUntilItIsCreated() {
    h.create(adb("early", "late-pg"));
    AppDatabase stalled =
        h.awaitCondition("selection", "early", "Stalled", "True", Reasons.SERVER_NOT_FOUND);
    assertThat(
            Conditions.find(stalled.getStatus().getConditions(), "Stalled")
                .orElseThrow()
                .getMessage())
        .contains("late-pg");
    h.registerServer(
        "late-pg", Engine.POSTGRESQL, pg.host(), pg.port(), pg.adminUser(), pg.adminPassword());
    h.awaitReady("selection", "early");
  }

  @Test
  void anAdminWithoutTheNeededPrivilegesIsReported() throws Exception {
    try (Connection c = pg.superuser();
        Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS weak_admin");
      s.execute("CREATE ROLE weak_admin LOGIN PASSWORD 'weak-pass-1'");
    }
    h.registerServer(
        "weak-pg", Engine.POSTGRESQL, pg.host(), pg.port(), "weak_admin", "weak-pass-1");
    DatabaseServer weak = h.awaitServer("weak-pg", "False", Reasons.INSUFFICIENT_PRIVILEGES);
    String message =
        Conditions.find(weak.getStatus().getConditions(), "Ready").orElseThrow().getMessage();
    assertThat(message).containsIgnoringCase("CREATEDB").containsIgnoringCase("CREATEROLE");
  }
}
