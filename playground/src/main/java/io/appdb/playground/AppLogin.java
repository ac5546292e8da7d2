package io.appdb.playground;

import io.appdb.operator.api.v1alpha1.Engine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * Logs in the way an application would, with nothing but the keys of the Secret the operator wrote,
 * and reports what the server says about the session.
 */
final class AppLogin {

  /** What the app user saw after logging in. */
  record Session(String currentUser, String database, String serverVersion) {}

  private AppLogin() {}

  static Session login(Engine engine, Map<String, String> secret) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", secret.get("DB_USER"));
    properties.setProperty("password", secret.get("DB_PASSWORD"));
    String query;
    if (engine == Engine.POSTGRESQL) {
      properties.setProperty("connectTimeout", "5");
      properties.setProperty("socketTimeout", "10");
      query = "SELECT current_user, current_database(), version()";
    } else {
      properties.setProperty("connectTimeout", "5000");
      properties.setProperty("socketTimeout", "10000");
      query = "SELECT CURRENT_USER(), DATABASE(), VERSION()";
    }
    try (Connection c = DriverManager.getConnection(secret.get("JDBC_URL"), properties);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return new Session(rs.getString(1), rs.getString(2), rs.getString(3));
    }
  }
}
