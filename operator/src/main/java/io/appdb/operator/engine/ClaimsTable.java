package io.appdb.operator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC side of the claims table, the same on every engine: only the statement texts differ
 * (insert-if-absent is {@code ON CONFLICT DO NOTHING} on PostgreSQL and {@code ON DUPLICATE KEY
 * UPDATE} on MySQL). Every value is bound as a parameter, never put into SQL text.
 *
 * @param insert insert-if-absent of (kind, name, owner_namespace, owner_name); 1 row when new
 * @param select (owner_namespace, owner_name) by (kind, name)
 * @param names names by (kind, owner_namespace, owner_name)
 * @param delete by (kind, name, owner_namespace, owner_name)
 */
public record ClaimsTable(String insert, String select, String names, String delete) {

  public ClaimResult claim(Connection c, ClaimKind kind, String name, Owner owner)
      throws SQLException {
    boolean inserted;
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      bind(ps, kind, name, owner);
      inserted = ps.executeUpdate() == 1;
    }
    if (inserted) {
      // The row is the one just written: reading it back would only cost a round trip.
      return new ClaimResult(owner, true, owner);
    }
    Owner current =
        owner(c, kind, name).orElseThrow(() -> new SQLException("claim vanished while being read"));
    return new ClaimResult(current, inserted, owner);
  }

  public Optional<Owner> owner(Connection c, ClaimKind kind, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(select)) {
      bind(ps, kind, name, null);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Owner(rs.getString(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  /**
   * Runs {@code query}, which returns one row (owner_namespace and owner_name, NULL when unclaimed,
   * then whether the name exists) and takes {@code existsParameters} first, then kind and name.
   */
  public NameState lookUp(
      Connection c, String query, List<String> existsParameters, ClaimKind kind, String name)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      int i = 1;
      for (String parameter : existsParameters) {
        ps.setString(i++, parameter);
      }
      ps.setString(i++, kind.name());
      ps.setString(i, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the claim lookup returned no row");
        }
        String namespace = rs.getString(1);
        Optional<Owner> owner =
            namespace == null
                ? Optional.empty()
                : Optional.of(new Owner(namespace, rs.getString(2)));
        return new NameState(owner, rs.getBoolean(3));
      }
    }
  }

  public List<String> names(Connection c, ClaimKind kind, Owner owner) throws SQLException {
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(names)) {
      ps.setString(1, kind.name());
      ps.setString(2, owner.namespace());
      ps.setString(3, owner.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  public int release(Connection c, ClaimKind kind, String name, Owner owner) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(delete)) {
      bind(ps, kind, name, owner);
      return ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, ClaimKind kind, String name, Owner owner)
      throws SQLException {
    ps.setString(1, kind.name());
    ps.setString(2, name);
    if (owner != null) {
      ps.setString(3, owner.namespace());
      ps.setString(4, owner.name());
    }
  }
}
