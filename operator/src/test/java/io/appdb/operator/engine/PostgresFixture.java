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

  @Override
  public Connection privilegedIn(String database) throws SQLException {
    return server.superuser(database);
  }

  @Override
  public String describeAccess(String database, String user) throws SQLException {
    String role = pgLiteral(user);
    String privileges =
        "(SELECT string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END,"
            + " ',' ORDER BY x.privilege_type) FROM aclexplode(%s) x JOIN pg_roles g"
            + " ON g.oid = x.grantee WHERE g.rolname = "
            + role
            + ")";
    return queryStringIn(
            database,
            "SELECT 'database ' || "
                + String.format(privileges, "datacl")
                + " FROM pg_database WHERE datname = "
                + pgLiteral(database))
        + queryStringIn(
            database,
            "SELECT 'schema ' || nspname || ' ' || "
                + String.format(privileges, "nspacl")
                + " FROM pg_namespace WHERE "
                + String.format(privileges, "nspacl")
                + " IS NOT NULL ORDER BY nspname")
        + queryStringIn(
            database,
            "SELECT 'relation ' || relnamespace::regnamespace || '.' || relname || ' ' || "
                + String.format(privileges, "relacl")
                + " FROM pg_class WHERE "
                + String.format(privileges, "relacl")
                + " IS NOT NULL ORDER BY 1")
        + queryStringIn(
            database,
            "SELECT 'default ' || COALESCE(defaclnamespace::regnamespace::text, '*') || ' '"
                + " || defaclobjtype::text || ' ' || "
                + String.format(privileges, "defaclacl")
                + " FROM pg_default_acl WHERE "
                + String.format(privileges, "defaclacl")
                + " IS NOT NULL ORDER BY 1")
        + queryStringIn(
            database,
            "SELECT 'member of ' || pg_get_userbyid(m.roleid) FROM pg_auth_members m"
                + " JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = "
                + role
                + " ORDER BY 1");
  }

  @Override
  public void addAccountDrift(
      String database, String owner, String ownerPassword, String rw, String ro, String table)
      throws SQLException {
    try (Connection c = privilegedIn(database);
        Statement s = c.createStatement()) {
      s.execute("GRANT TRUNCATE, TRIGGER ON " + table + " TO " + pgIdentifier(rw));
      s.execute("GRANT CREATE ON SCHEMA later TO " + pgIdentifier(rw));
      s.execute(
          "GRANT TEMPORARY ON DATABASE " + pgIdentifier(database) + " TO " + pgIdentifier(rw));
      s.execute("REVOKE SELECT ON " + table + " FROM " + pgIdentifier(ro));
      s.execute("GRANT SELECT ON " + table + " TO " + pgIdentifier(ro) + " WITH GRANT OPTION");
      s.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE "
              + pgIdentifier(owner)
              + " REVOKE SELECT ON TABLES FROM "
              + pgIdentifier(ro));
      s.execute(
          "ALTER DEFAULT PRIVILEGES FOR ROLE "
              + pgIdentifier(owner)
              + " IN SCHEMA later GRANT DELETE ON TABLES TO "
              + pgIdentifier(ro));
    }
    // A membership lends the account the owner's DDL rights; granted here as if with the
    // operator's admin login, the one role besides superusers that has ADMIN on the owner.
    run(
        "GRANT "
            + pgIdentifier(owner)
            + " TO "
            + pgIdentifier(rw)
            + " GRANTED BY "
            + pgIdentifier(server.adminUser()));
  }
}
