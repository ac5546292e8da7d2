package io.appdb.bench;

import io.appdb.operator.testing.MariaDbServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MariaDB's view of the operator: per-account statement and connection counters from {@code
 * information_schema.USER_STATISTICS} (switched on with {@code userstat}), and statements by kind
 * from the server-wide {@code Com_*} counters minus the bench's own polling.
 */
final class MariaDbStats extends ServerStats {
  private final MariaDbServer db;
  private final AtomicLong benchSelects = new AtomicLong();
  private final AtomicLong benchShows = new AtomicLong();
  private Connection stats;

  MariaDbStats(MariaDbServer db, Path work) {
    super("mariadb", work);
    this.db = db;
    try (Connection c = db.root();
        Statement s = c.createStatement()) {
      s.execute("SET GLOBAL userstat = 1");
    } catch (SQLException e) {
      throw new IllegalStateException("enabling MariaDB user statistics", e);
    }
    startPolling();
  }

  @Override
  synchronized SqlSample sample() {
    long adminStatements = 0;
    long appStatements = 0;
    long adminConnections = 0;
    long appConnections = 0;
    Map<String, Long> kinds = new HashMap<>();
    try (Statement s = statsConnection().createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT USER, TOTAL_CONNECTIONS, SELECT_COMMANDS + UPDATE_COMMANDS + OTHER_COMMANDS"
                  + " FROM information_schema.USER_STATISTICS")) {
        benchSelects.incrementAndGet();
        while (rs.next()) {
          String user = rs.getString(1);
          if (user.equals(ADMIN_USER)) {
            adminConnections += rs.getLong(2);
            adminStatements += rs.getLong(3);
          } else if (!user.equals(MariaDbServer.ROOT)) {
            appConnections += rs.getLong(2);
            appStatements += rs.getLong(3);
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com\\_%'")) {
        benchShows.incrementAndGet();
        while (rs.next()) {
          long v = rs.getLong(2);
          if (v > 0) {
            kinds.put(rs.getString(1).substring(4), v);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading MariaDB statistics", e);
    }
    kinds.computeIfPresent("select", (k, v) -> v - benchSelects.get());
    kinds.computeIfPresent("show_status", (k, v) -> v - benchShows.get());
    return new SqlSample(
        adminStatements,
        appStatements,
        adminConnections,
        appConnections,
        Map.copyOf(kinds),
        serverCpuMillisByRole());
  }

  /** One connection for all samples, so that connecting does not add to the Com_* counters. */
  private Connection statsConnection() throws SQLException {
    if (stats == null || stats.isClosed()) {
      stats = db.root();
    }
    return stats;
  }

  @Override
  void polled() {
    benchSelects.incrementAndGet();
  }

  @Override
  Connection observer() throws SQLException {
    return db.root();
  }

  @Override
  String adminSessionsQuery() {
    return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?";
  }

  @Override
  boolean isServerProcess(String command) {
    return command.endsWith("/mariadbd") || command.endsWith("/mysqld");
  }

  @Override
  String role(String title) {
    return "server";
  }
}
