package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Passwords never reach the database server's own logs. PostgreSQL: with every statement logged,
 * creating a user and rotating its password leave no plaintext in the server log (the operator
 * sends SCRAM verifiers). MariaDB logs account statements verbatim in its general query log, so the
 * operator sends it the mysql_native_password hash instead of the password; the log is checked the
 * same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordNeverLoggedIT {
  private OperatorHarness h;

  @BeforeAll
  void start() {
    h = OperatorHarness.start();
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private List<String> provisionAndRotate(String server, String ns) {
    h.namespace(ns, Map.of());
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace(ns);
    adb.getMetadata().setName("app");
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef(server));
    h.create(adb);
    h.awaitReady(ns, "app");
    List<String> passwords = new ArrayList<>();
    String first = h.secretData(ns, "app-db").get("DB_PASSWORD");
    passwords.add(first);
    h.client().secrets().inNamespace(ns).withName("app-db").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                h.secret(ns, "app-db").isPresent()
                    && !first.equals(h.secretData(ns, "app-db").get("DB_PASSWORD")));
    h.awaitReady(ns, "app");
    passwords.add(h.secretData(ns, "app-db").get("DB_PASSWORD"));
    return passwords;
  }

  @Test
  void postgresStatementLogNeverSeesAPassword() throws Exception {
    PostgresServer pg = PostgresServer.shared(17);
    pg.enableStatementLogging();
    h.registerServer(
        "logged-pg", Engine.POSTGRESQL, pg.host(), pg.port(), pg.adminUser(), pg.adminPassword());
    h.awaitServer("logged-pg", "True", Reasons.CONNECTED);
    List<String> passwords = provisionAndRotate("logged-pg", "logged-pg");
    String log = pg.serverLog();
    assertThat(log).as("statement logging is on").contains("SCRAM-SHA-256$");
    for (String password : passwords) {
      assertThat(log).doesNotContain(password);
    }
  }

  @Test
  void mariadbGeneralLogNeverSeesAPassword() throws Exception {
    MariaDbServer mdb = MariaDbServer.shared();
    Path logFile = Files.createTempFile("mariadb-general", ".log");
    try (Connection c = mdb.root();
        Statement s = c.createStatement()) {
      s.execute("SET GLOBAL general_log_file = '" + logFile + "'");
      s.execute("SET GLOBAL log_output = 'FILE'");
      s.execute("SET GLOBAL general_log = 1");
    }
    try {
      h.registerServer(
          "logged-mysql",
          Engine.MYSQL,
          mdb.host(),
          mdb.port(),
          mdb.adminUser(),
          mdb.adminPassword());
      h.awaitServer("logged-mysql", "True", Reasons.CONNECTED);
      List<String> passwords = provisionAndRotate("logged-mysql", "logged-mysql");
      String log = Files.readString(logFile, StandardCharsets.UTF_8);
      assertThat(log)
          .as("the general log recorded the account statements")
          .contains("IDENTIFIED BY PASSWORD '*");
      for (String password : passwords) {
        assertThat(log).doesNotContain(password);
      }
    } finally {
      try (Connection c = mdb.root();
          Statement s = c.createStatement()) {
        s.execute("SET GLOBAL general_log = 0");
      }
    }
  }
}
