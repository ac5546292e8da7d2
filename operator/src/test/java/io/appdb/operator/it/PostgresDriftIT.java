package io.appdb.operator.it;

import io.appdb.operator.testing.PostgresServer;
import java.sql.SQLException;

/** Drift on PostgreSQL: password, CONNECT/TEMP for PUBLIC, role attributes, dropped objects. */
class PostgresDriftIT extends DriftContract {
  @Override
  protected DbFixture fixture() {
    return new PostgresOperatorIT.Pg(PostgresServer.shared(17));
  }

  @Override
  protected void changePassword(String user) throws SQLException {
    db.execute("ALTER ROLE " + user + " PASSWORD 'changed-by-hand'");
  }

  @Override
  protected void tamperWithGrants(String database, String user) throws SQLException {
    db.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO PUBLIC");
    db.execute("ALTER ROLE " + user + " CREATEDB CREATEROLE");
  }

  @Override
  protected boolean grantsTampered(String database, String user) throws SQLException {
    boolean publicConnect =
        exists(
            "SELECT 1 FROM pg_database d, aclexplode(d.datacl) a"
                + " WHERE d.datname = ? AND a.grantee = 0 AND a.privilege_type = 'CONNECT'",
            database);
    boolean attributes =
        exists("SELECT 1 FROM pg_roles WHERE rolname = ? AND (rolcreatedb OR rolcreaterole)", user);
    return publicConnect || attributes;
  }

  private boolean exists(String sql, String value) throws SQLException {
    try (var c = db.superuser();
        var s = c.prepareStatement(sql)) {
      s.setString(1, value);
      try (var rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  protected void dropUser(String database, String user) throws SQLException {
    // The user owns its database, so a DBA hands it to the operator's admin role first (a
    // database given to a superuser is out of a non-superuser admin's reach, by design).
    db.execute("ALTER DATABASE " + database + " OWNER TO " + db.adminUser());
    db.execute("DROP ROLE " + user);
  }

  @Override
  protected void dropDatabase(String database) throws SQLException {
    db.execute("DROP DATABASE " + database + " WITH (FORCE)");
  }

  @Override
  protected void restoreDatabase(String database) throws SQLException {
    // Restored under the operator's admin role, which the README asks DBAs to do.
    db.execute("CREATE DATABASE " + database + " OWNER " + db.adminUser());
  }
}
