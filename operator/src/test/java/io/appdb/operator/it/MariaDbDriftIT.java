package io.appdb.operator.it;

import io.appdb.operator.testing.MariaDbServer;
import java.sql.SQLException;

/** Drift on MariaDB: password, revoked grants, dropped objects. */
class MariaDbDriftIT extends DriftContract {
  @Override
  protected DbFixture fixture() {
    return new MariaDbOperatorIT.Maria(MariaDbServer.shared());
  }

  @Override
  protected void changePassword(String user) throws SQLException {
    db.execute("ALTER USER '" + user + "'@'%' IDENTIFIED BY 'changed-by-hand'");
  }

  @Override
  protected void tamperWithGrants(String database, String user) throws SQLException {
    db.execute(
        "REVOKE ALL PRIVILEGES ON `"
            + database.replace("_", "\\_")
            + "`.* FROM '"
            + user
            + "'@'%'");
    db.execute("GRANT SELECT ON mysql.* TO '" + user + "'@'%'");
  }

  @Override
  protected boolean grantsTampered(String database, String user) throws SQLException {
    try (var c = db.superuser();
        var s = c.createStatement();
        var rs = s.executeQuery("SHOW GRANTS FOR '" + user + "'@'%'")) {
      boolean ownGrant = false;
      boolean foreign = false;
      while (rs.next()) {
        String grant = rs.getString(1);
        if (grant.contains("`mysql`")) {
          foreign = true;
        }
        if (grant.contains("CREATE") && grant.contains(database.replace("_", "\\_"))) {
          ownGrant = true;
        }
      }
      return foreign || !ownGrant;
    }
  }

  @Override
  protected void dropUser(String database, String user) throws SQLException {
    db.execute("DROP USER '" + user + "'@'%'");
  }

  @Override
  protected void dropDatabase(String database) throws SQLException {
    db.execute("DROP DATABASE `" + database + "`");
  }

  @Override
  protected void restoreDatabase(String database) throws SQLException {
    db.execute("CREATE DATABASE `" + database + "`");
  }
}
