package io.appdb.operator.engine;

import static io.appdb.operator.engine.SqlQuoting.mysqlAccount;
import static io.appdb.operator.engine.SqlQuoting.mysqlGrantScope;
import static io.appdb.operator.engine.SqlQuoting.mysqlIdentifier;
import static io.appdb.operator.engine.SqlQuoting.mysqlLiteral;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.mysql.MySqlStatements;
import io.appdb.operator.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

final class MariaDbFixture implements EngineFixture {

  private final MariaDbServer server = MariaDbServer.shared();

  @Override
  public Engine engine() {
    return Engine.MYSQL;
  }

  @Override
  public String version() {
    return server.version();
  }

  @Override
  public String host() {
    return server.host();
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public ServerConnection admin(String serverName, int maxConnections, Duration timeout) {
    return server.adminConnection(serverName, maxConnections, timeout);
  }

  @Override
  public ServerConnection adminWith(String user, String password, int port, Duration timeout) {
    return new ServerConnection(
        "mysql-custom", Engine.MYSQL, server.host(), port, user, password, "%", 2, timeout);
  }

  @Override
  public Connection privileged() throws SQLException {
    return server.root();
  }

  @Override
  public Connection connect(String database, String user, String password) throws SQLException {
    return server.connect(database, user, password);
  }

  @Override
  public String createUnderPrivilegedAdmin(String name) throws SQLException {
    String password = "Pw" + name;
    run(
        "CREATE USER " + mysqlAccount(name, "%") + " IDENTIFIED BY " + mysqlLiteral(password),
        "GRANT SELECT, CREATE, DROP ON *.* TO " + mysqlAccount(name, "%"));
    return password;
  }

  @Override
  public String createFullAdmin(String name) throws SQLException {
    String password = "Pw" + name;
    run(
        "CREATE USER " + mysqlAccount(name, "%") + " IDENTIFIED BY " + mysqlLiteral(password),
        MySqlStatements.grantAdminPrivileges(name, "%").text());
    return password;
  }

  @Override
  public int sessionsOf(String user) throws SQLException {
    return Integer.parseInt(
        queryString(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = "
                    + mysqlLiteral(user))
            .trim());
  }

  @Override
  public int connectionLimitOf(String user) throws SQLException {
    return Integer.parseInt(
        queryString(
                "SELECT max_user_connections FROM mysql.user WHERE User = "
                    + mysqlLiteral(user)
                    + " AND Host = '%'")
            .trim());
  }

  @Override
  public int unlimitedConnections() {
    return 0;
  }

  @Override
  public String describe(String database, String user) throws SQLException {
    return queryString("SHOW GRANTS FOR " + mysqlAccount(user, "%"))
        + queryString(
            "SELECT max_user_connections FROM mysql.user WHERE User = " + mysqlLiteral(user));
  }

  @Override
  public void createTableAs(String database, String user, String password, String table)
      throws SQLException {
    try (Connection c = connect(database, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + mysqlIdentifier(table) + " (secret VARCHAR(64))");
      s.execute("INSERT INTO " + mysqlIdentifier(table) + " VALUES ('tenant data')");
    }
  }

  @Override
  public List<String> escapeAttempts(String ownDatabase, String otherDatabase, String otherUser) {
    String other = mysqlIdentifier(otherDatabase);
    return List.of(
        "SELECT * FROM " + other + ".secrets",
        "CREATE TABLE " + other + ".planted (i INT)",
        "INSERT INTO " + other + ".secrets VALUES ('planted')",
        "DROP TABLE " + other + ".secrets",
        "USE " + other,
        "GRANT SELECT ON " + mysqlGrantScope(otherDatabase) + ".* TO CURRENT_USER",
        "GRANT SELECT ON " + mysqlGrantScope(ownDatabase) + ".* TO " + mysqlAccount(otherUser, "%"),
        "GRANT ALL PRIVILEGES ON *.* TO CURRENT_USER",
        "CREATE DATABASE escape_attempt",
        "CREATE USER escape_attempt IDENTIFIED BY 'x'",
        "ALTER USER " + mysqlAccount(otherUser, "%") + " IDENTIFIED BY 'taken'",
        "SELECT * FROM appdb_operator.claims",
        "SELECT * FROM mysql.user");
  }

  @Override
  public List<String> forbiddenDatabases(String otherDatabase) {
    return List.of(otherDatabase, "appdb_operator", "mysql");
  }

  @Override
  public void grantOnOtherDatabase(String user, String otherDatabase) throws SQLException {
    run("GRANT SELECT ON " + mysqlGrantScope(otherDatabase) + ".* TO " + mysqlAccount(user, "%"));
  }

  @Override
  public Connection privilegedIn(String database) throws SQLException {
    Connection c = server.root();
    c.setCatalog(database);
    return c;
  }

  @Override
  public String describeAccess(String database, String user) throws SQLException {
    return queryString("SHOW GRANTS FOR " + mysqlAccount(user, "%")).replace(user, "<user>");
  }

  @Override
  public void addAccountDrift(
      String database, String owner, String ownerPassword, String rw, String ro, String table)
      throws SQLException {
    String scope = mysqlGrantScope(database) + ".*";
    run(
        "GRANT CREATE, DROP, ALTER ON " + scope + " TO " + mysqlAccount(rw, "%"),
        "GRANT SELECT ON " + scope + " TO " + mysqlAccount(rw, "%") + " WITH GRANT OPTION",
        "REVOKE SELECT ON " + scope + " FROM " + mysqlAccount(ro, "%"),
        "GRANT INSERT ON "
            + mysqlIdentifier(database)
            + "."
            + mysqlIdentifier(table)
            + " TO "
            + mysqlAccount(ro, "%"));
  }
}
