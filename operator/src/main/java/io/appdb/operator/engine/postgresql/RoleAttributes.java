package io.appdb.operator.engine.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The role attributes the operator cares about, as read from {@code pg_roles}. */
record RoleAttributes(
    boolean superuser,
    boolean inherit,
    boolean createRole,
    boolean createDb,
    boolean login,
    boolean replication,
    boolean bypassRls,
    int connectionLimit) {

  static Optional<RoleAttributes> read(Connection c, String role) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.ROLE_ATTRIBUTES)) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(from(rs, 1)) : Optional.empty();
      }
    }
  }

  /** The attributes in columns {@code first} .. {@code first + 7}, in the order of the record. */
  static RoleAttributes from(ResultSet rs, int first) throws SQLException {
    return new RoleAttributes(
        rs.getBoolean(first),
        rs.getBoolean(first + 1),
        rs.getBoolean(first + 2),
        rs.getBoolean(first + 3),
        rs.getBoolean(first + 4),
        rs.getBoolean(first + 5),
        rs.getBoolean(first + 6),
        rs.getInt(first + 7));
  }

  /** True when {@link #corrections} would find nothing to correct. */
  boolean inPlace(int wantedLimit) {
    List<String> clauses = new ArrayList<>();
    corrections(wantedLimit, clauses, new ArrayList<>());
    return clauses.isEmpty();
  }

  /** Adds an ALTER ROLE clause and a description for each attribute that is out of place. */
  void corrections(int wantedLimit, List<String> clauses, List<String> descriptions) {
    remove(superuser, "SUPERUSER", clauses, descriptions);
    remove(createDb, "CREATEDB", clauses, descriptions);
    remove(createRole, "CREATEROLE", clauses, descriptions);
    remove(inherit, "INHERIT", clauses, descriptions);
    remove(replication, "REPLICATION", clauses, descriptions);
    remove(bypassRls, "BYPASSRLS", clauses, descriptions);
    if (!login) {
      clauses.add("LOGIN");
      descriptions.add("role attribute LOGIN restored");
    }
    if (connectionLimit != wantedLimit) {
      clauses.add("CONNECTION LIMIT " + wantedLimit);
      descriptions.add("connection limit set to " + wantedLimit + " (was " + connectionLimit + ")");
    }
  }

  private static void remove(
      boolean present, String attribute, List<String> clauses, List<String> descriptions) {
    if (present) {
      clauses.add("NO" + attribute);
      descriptions.add("role attribute " + attribute + " removed");
    }
  }
}
