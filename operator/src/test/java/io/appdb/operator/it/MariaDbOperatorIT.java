package io.appdb.operator.it;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.testing.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;

/** The operator end to end on MariaDB, standing in for the mysql engine. */
class MariaDbOperatorIT extends AppDatabaseOperatorContract {

  @Override
  protected DbFixture fixture() {
    return new Maria(MariaDbServer.shared());
  }

  @Override
  protected void createUserByHand(String user) throws SQLException {
    db.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'by-hand-1'");
  }

  static final class Maria extends DbFixture {
    private final MariaDbServer mdb;

    Maria(MariaDbServer mdb) {
      this.mdb = mdb;
    }

    @Override
    public Engine engine() {
      return Engine.MYSQL;
    }

    @Override
    public String host() {
      return mdb.host();
    }

    @Override
    public int port() {
      return mdb.port();
    }

    @Override
    public String adminUser() {
      return mdb.adminUser();
    }

    @Override
    public String adminPassword() {
      return mdb.adminPassword();
    }

    @Override
    public Connection superuser() throws SQLException {
      return mdb.root();
    }

    @Override
    protected Connection claimsConnection() throws SQLException {
      return mdb.root();
    }

    @Override
    protected String claimsTable() {
      return "appdb_operator.claims";
    }

    @Override
    public String jdbcUrl(String database) {
      return "jdbc:mysql://" + mdb.host() + ":" + mdb.port() + "/" + database;
    }

    @Override
    public boolean databaseExists(String database) throws SQLException {
      return exists("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", database);
    }

    @Override
    public boolean userExists(String user) throws SQLException {
      return exists("SELECT 1 FROM mysql.user WHERE User = ?", user);
    }

    @Override
    public Integer connectionLimit(String user) throws SQLException {
      Integer limit = intOrNull("SELECT max_user_connections FROM mysql.user WHERE User = ?", user);
      return limit == null || limit == 0 ? null : limit;
    }
  }
}
