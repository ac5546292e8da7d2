package io.appdb.operator.engine;

import io.appdb.operator.api.v1alpha1.Engine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * What {@link DatabaseEngineContract} needs from one real server: connections for setup and
 * assertions, and the engine-specific SQL a person would type by hand to cause drift or to try to
 * escape a tenant's database.
 */
interface EngineFixture {

  Engine engine();

  /** E.g. "PostgreSQL 17.6" or "MariaDB 11.4.5". */
  String version();

  String host();

  int port();

  ServerConnection admin(String serverName, int maxConnections, Duration timeout);

  ServerConnection adminWith(String user, String password, int port, Duration timeout);

  /** Superuser / root, for setup and assertions. */
  Connection privileged() throws SQLException;

  Connection connect(String database, String user, String password) throws SQLException;

  /** A login that lacks some of the admin privileges; returns its password. */
  String createUnderPrivilegedAdmin(String name) throws SQLException;

  /** A second admin with every needed privilege, so its sessions can be counted alone. */
  String createFullAdmin(String name) throws SQLException;

  /** Sessions the server currently has for {@code user}. */
  int sessionsOf(String user) throws SQLException;

  /** The user's connection limit as the catalog has it (unlimited: -1 or 0 per engine). */
  int connectionLimitOf(String user) throws SQLException;

  int unlimitedConnections();

  /** A stable text rendering of everything the operator manages for db/user, to compare. */
  String describe(String database, String user) throws SQLException;

  /** Creates a table with one row in {@code database}, as its app user. */
  void createTableAs(String database, String user, String password, String table)
      throws SQLException;

  /** Statements the tenant runs on its own connection, each of which must fail. */
  List<String> escapeAttempts(String ownDatabase, String otherDatabase, String otherUser);

  /** Databases the tenant must not even be able to connect to. */
  List<String> forbiddenDatabases(String otherDatabase);

  /** A privilege on {@code otherDatabase} granted by hand to {@code user}. */
  void grantOnOtherDatabase(String user, String otherDatabase) throws SQLException;

  /** A privileged connection to {@code database}. */
  Connection privilegedIn(String database) throws SQLException;

  /**
   * A stable rendering of the privileges {@code user} holds in {@code database} (database, schemas,
   * tables, default privileges, memberships), without the user's name.
   */
  String describeAccess(String database, String user) throws SQLException;

  /**
   * Hand-made changes to the ReadWrite account {@code rw} (more than it should have) and the
   * ReadOnly account {@code ro} (less than it should have, and more) on {@code table}.
   */
  void addAccountDrift(
      String database, String owner, String ownerPassword, String rw, String ro, String table)
      throws SQLException;

  default String queryStringIn(String database, String sql) throws SQLException {
    try (Connection c = privilegedIn(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      StringBuilder out = new StringBuilder();
      while (rs.next()) {
        out.append(rs.getString(1)).append("\n");
      }
      return out.toString();
    }
  }

  default void run(String... statements) throws SQLException {
    try (Connection c = privileged();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  default String queryString(String sql) throws SQLException {
    try (Connection c = privileged();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      StringBuilder out = new StringBuilder();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          out.append(rs.getString(i)).append(i < columns ? "|" : "\n");
        }
      }
      return out.toString();
    }
  }
}
