package io.appdb.operator.it;

import io.appdb.operator.api.v1alpha1.Engine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * What the operator-level tests need from a real database server: where it is, the operator's admin
 * login, and a superuser's view for assertions that do not trust the operator.
 */
public abstract class DbFixture {
  public abstract Engine engine();

  public abstract String host();

  public abstract int port();

  public abstract String adminUser();

  public abstract String adminPassword();

  /** A connection with full rights, for checking the server's real state. */
  public abstract Connection superuser() throws SQLException;

  public abstract String jdbcUrl(String database);

  public abstract boolean databaseExists(String database) throws SQLException;

  public abstract boolean userExists(String user) throws SQLException;

  /** The user's connection limit as the server reports it; null = unlimited. */
  public abstract Integer connectionLimit(String user) throws SQLException;

  /** Claims on the server (table appdb_operator.claims) held by one AppDatabase, as "kind:name". */
  public java.util.List<String> claimsOf(String namespace, String name) throws SQLException {
    java.util.List<String> claims = new java.util.ArrayList<>();
    try (Connection c = claimsConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT kind, name FROM "
                    + claimsTable()
                    + " WHERE owner_namespace = ? AND owner_name = ? ORDER BY kind, name")) {
      s.setString(1, namespace);
      s.setString(2, name);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          claims.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT) + ":" + rs.getString(2));
        }
      }
    }
    return claims;
  }

  /** Deletes the claims of one AppDatabase by hand, as if an earlier deletion had released them. */
  public void deleteClaimsOf(String namespace, String name) throws SQLException {
    try (Connection c = claimsConnection();
        PreparedStatement s =
            c.prepareStatement(
                "DELETE FROM " + claimsTable() + " WHERE owner_namespace = ? AND owner_name = ?")) {
      s.setString(1, namespace);
      s.setString(2, name);
      s.executeUpdate();
    }
  }

  protected abstract Connection claimsConnection() throws SQLException;

  protected abstract String claimsTable();

  public Connection login(String database, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", engine() == Engine.POSTGRESQL ? "5" : "5000");
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  public boolean canLogin(String database, String user, String password) {
    try (Connection c = login(database, user, password)) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = superuser();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  protected boolean exists(String sql, String value) throws SQLException {
    try (Connection c = superuser();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  protected Integer intOrNull(String sql, String value) throws SQLException {
    try (Connection c = superuser();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        int v = rs.getInt(1);
        return rs.wasNull() ? null : v;
      }
    }
  }
}
