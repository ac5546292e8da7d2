package io.appdb.operator.it;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.testing.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;

/** The operator end to end on PostgreSQL 17. */
class PostgresOperatorIT extends AppDatabaseOperatorContract {

  @Override
  protected DbFixture fixture() {
    return new Pg(PostgresServer.shared(17));
  }

  @Override
  protected void createUserByHand(String user) throws SQLException {
    db.execute("CREATE ROLE " + user + " LOGIN");
  }

  static final class Pg extends DbFixture {
    private final PostgresServer pg;

    Pg(PostgresServer pg) {
      this.pg = pg;
    }

    @Override
    public Engine engine() {
      return Engine.POSTGRESQL;
    }

    @Override
    public String host() {
      return pg.host();
    }

    @Override
    public int port() {
      return pg.port();
    }

    @Override
    public String adminUser() {
      return pg.adminUser();
    }

    @Override
    public String adminPassword() {
      return pg.adminPassword();
    }

    @Override
    public Connection superuser() throws SQLException {
      return pg.superuser();
    }

    @Override
    protected Connection claimsConnection() throws SQLException {
      return pg.superuser("appdb_operator");
    }

    @Override
    protected String claimsTable() {
      return "claims";
    }

    @Override
    public String jdbcUrl(String database) {
      return "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + database;
    }

    @Override
    public boolean databaseExists(String database) throws SQLException {
      return exists("SELECT 1 FROM pg_database WHERE datname = ?", database);
    }

    @Override
    public boolean userExists(String user) throws SQLException {
      return exists("SELECT 1 FROM pg_roles WHERE rolname = ?", user);
    }

    @Override
    public Integer connectionLimit(String user) throws SQLException {
      Integer limit = intOrNull("SELECT rolconnlimit FROM pg_roles WHERE rolname = ?", user);
      return limit == null || limit < 0 ? null : limit;
    }
  }
}
