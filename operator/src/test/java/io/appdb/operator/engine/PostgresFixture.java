package io.appdb.operator.engine;

import static io.appdb.operator.engine.SqlQuoting.pgIdentifier;
import static io.appdb.operator.engine.SqlQuoting.pgLiteral;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

final class PostgresFixture implements EngineFixture {

  private final PostgresServer server;

  PostgresFixture(int major) {
    this.server = PostgresServer.shared(major);
  }

  PostgresServer server() {
    return server;
  }

  @Override
  public Engine engine() {
    return Engine.POSTGRESQL;
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
        "pg-custom", Engine.POSTGRESQL, server.host(), port, user, password, null, 2, timeout);
  }

  @Override
  public Connection privileged() throws SQLException {
    return server.superuser();
  }

  @Override
  public Connection connect(String database, String user, String password) throws SQLException {
    return server.connect(database, user, password);
  }

  @Override
  public String createUnderPrivilegedAdmin(String name) throws SQLException {
    String password = "Pw" + name;
    run("CREATE ROLE " + pgIdentifier(name) + " LOGIN PASSWORD " + pgLiteral(password));
    return password;
  }

  /** Membership in appdb_admin gives it the claims database, which PUBLIC cannot connect to. */
  @Override
  public String createFullAdmin(String name) throws SQLException {
    String password = "Pw" + name;
    run(
        "CREATE ROLE "
            + pgIdentifier(name)
            + " LOGIN CREATEDB CREATEROLE PASSWORD "
            + pgLiteral(password),
        "GRANT " + pgIdentifier(server.adminUser()) + " TO " + pgIdentifier(name));
    return password;
  }

  @Override
  public int sessionsOf(String user) throws SQLException {
    return Integer.parseInt(
        queryString("SELECT count(*) FROM pg_stat_activity WHERE usename = " + pgLiteral(user))
            .trim());
  }

  @Override
  public int connectionLimitOf(String user) throws SQLException {
    return Integer.parseInt(
        queryString("SELECT rolconnlimit FROM pg_roles WHERE rolname = " + pgLiteral(user)).trim());
  }

  @Override
  public int unlimitedConnections() {
    return -1;
  }

  @Override
  public String describe(String database, String user) throws SQLException {
    return queryString(
            "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
                + " rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = "
                + pgLiteral(user))
        + queryString(
            "SELECT pg_get_userbyid(datdba), datacl::text FROM pg_database WHERE datname = "
                + pgLiteral(database));
  }

  @Override
  public void createTableAs(String database, String user, String password, String table)
      throws SQLException {
    try (Connection c = connect(database, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + pgIdentifier(table) + " (secret text)");
      s.execute("INSERT INTO " + pgIdentifier(table) + " VALUES ('tenant data')");
    }
  }

  @Override
  public List<String> escapeAttempts(String ownDatabase, String otherDatabase, String otherUser) {
    return List.of(
        "GRANT CONNECT ON DATABASE " + pgIdentifier(otherDatabase) + " TO CURRENT_USER",
        "GRANT " + pgIdentifier(otherUser) + " TO CURRENT_USER",
        "ALTER ROLE CURRENT_USER CREATEDB",
        "ALTER ROLE CURRENT_USER SUPERUSER",
        "ALTER ROLE CURRENT_USER CREATEROLE",
        "ALTER ROLE CURRENT_USER CONNECTION LIMIT -1",
        "SET ROLE " + pgIdentifier(otherUser),
        "CREATE DATABASE escape_attempt",
        "CREATE ROLE escape_attempt LOGIN",
        "ALTER DATABASE " + pgIdentifier(otherDatabase) + " OWNER TO CURRENT_USER",
        "DROP DATABASE " + pgIdentifier(otherDatabase),
        "SELECT pg_read_file('pg_hba.conf')",
        "COPY (SELECT 1) TO PROGRAM 'true'");
  }

  @Override
  public List<String> forbiddenDatabases(String otherDatabase) {
    return List.of(otherDatabase, "appdb_operator");
  }

  @Override
  public void grantOnOtherDatabase(String user, String otherDatabase) throws SQLException {
    run("GRANT CONNECT ON DATABASE " + pgIdentifier(otherDatabase) + " TO " + pgIdentifier(user));
  }
}
