package io.appdb.operator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.reconciler.Provisioner;
import io.appdb.operator.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a new AppDatabase costs the MariaDB server in round trips, read from the server's general
 * log: under load every round trip on an admin connection is a wait for the server and then for a
 * core, with the connection held all along. Statements the driver adds on its own (Connector/J asks
 * {@code SELECT @@session.transaction_read_only} before every plain statement unless it tracks the
 * session state itself) would show here.
 */
class MariaDbRoundTripsIT {

  @Test
  void aNewAppDatabaseCostsFiveAdminStatementsAndALoginOfTwo() throws Exception {
    MariaDbServer db = MariaDbServer.shared();
    Provisioner provisioner = new Provisioner();
    try (DatabaseEngine engine = DatabaseEngines.open(db.adminConnection("round-trips"))) {
      engine.probe();
      // A first AppDatabase opens the admin connection and prepares the claims statements.
      provision(provisioner, engine, "warm");
      Map<Long, List<String>> bySession;
      try (Connection root = db.root();
          Statement s = root.createStatement()) {
        String output = single(s, "SELECT @@GLOBAL.log_output");
        s.execute("SET GLOBAL log_output = 'TABLE'");
        s.execute("TRUNCATE mysql.general_log");
        s.execute("SET GLOBAL general_log = 1");
        try {
          provision(provisioner, engine, "counted");
          awaitGone(s, "counted_u");
        } finally {
          s.execute("SET GLOBAL general_log = 0");
          s.execute("SET GLOBAL log_output = '" + output + "'");
        }
        bySession = sessions(s, single(s, "SELECT CONNECTION_ID()"));
      }

      assertThat(bySession).hasSize(2);
      List<List<String>> sessions = new ArrayList<>(bySession.values());
      assertThat(sessions.get(0))
          .as("the admin connection, claims and create sessions together")
          .satisfiesExactly(
              q -> assertThat(q).startsWith("Query SELECT c.owner_namespace").contains("UNION ALL"),
              q ->
                  assertThat(q)
                      .startsWith("Query INSERT INTO appdb_operator.claims")
                      .contains("), ("),
              q -> assertThat(q).startsWith("Query CREATE USER 'counted_u'@'%'"),
              q -> assertThat(q).startsWith("Query CREATE DATABASE `counted_db`"),
              q -> assertThat(q).startsWith("Query GRANT ").endsWith("TO 'counted_u'@'%'"));
      assertThat(sessions.get(1))
          .as("the login check")
          .satisfiesExactly(
              q -> assertThat(q).startsWith("Connect counted_u@"),
              q -> assertThat(q).isEqualTo("Query SET character_set_results = NULL"),
              q -> assertThat(q).isEqualTo("Query USE `counted_db`"),
              q -> assertThat(q).startsWith("Quit"));
    }
  }

  private static void provision(Provisioner provisioner, DatabaseEngine engine, String name) {
    provisioner.provision(
        engine,
        new Provisioner.Target(
            new Owner("round-trips", name), "round-trips", name + "_db", name + "_u", null, false),
        () -> new Provisioner.SecretState("Pw-" + name + "-0123456789abcdef", true, true));
  }

  /**
   * The general log's lines by session, in order, without the session that reads them and without
   * HikariCP's liveness check of a connection idle for more than half a second (a ping, no
   * statement).
   */
  private static Map<Long, List<String>> sessions(Statement s, String reader) throws SQLException {
    Map<Long, List<String>> bySession = new LinkedHashMap<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT thread_id, command_type, CONVERT(argument USING utf8mb4)"
                + " FROM mysql.general_log ORDER BY event_time, thread_id")) {
      while (rs.next()) {
        if (!Long.toString(rs.getLong(1)).equals(reader) && !"Ping".equals(rs.getString(2))) {
          bySession
              .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add((rs.getString(2) + " " + rs.getString(3)).trim());
        }
      }
    }
    return bySession;
  }

  /**
   * The login check's driver sends COM_QUIT and closes without waiting for the server, so its
   * {@code Quit} can reach the general log after the provisioning call returns. Turning the log off
   * before the server has ended that session would drop the line.
   */
  private static void awaitGone(Statement s, String user) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"0"
        .equals(
            single(
                s,
                "SELECT COUNT(*) FROM information_schema.processlist WHERE user = '"
                    + user
                    + "'"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the session of " + user + " did not end within 10 s");
      }
      Thread.sleep(20);
    }
  }

  private static String single(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
