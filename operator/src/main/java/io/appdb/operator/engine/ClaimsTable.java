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
 * @param insertBoth the same for two rows in one statement; the update count is the rows inserted
 * @param select (owner_namespace, owner_name) by (kind, name)
 * @param names names by (kind, owner_namespace, owner_name)
 * @param delete by (kind, name, owner_namespace, owner_name)
 */
public record ClaimsTable(
    String insert, String insertBoth, String select, String names, String delete) {

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
   * Claims two names seen unclaimed a moment ago, in one statement (see {@link
   * DatabaseEngine#claimBoth}).
   */
  public ClaimResults claimBoth(Connection c, String database, String user, Owner owner)
      throws SQLException {
    int inserted;
    try (PreparedStatement ps = c.prepareStatement(insertBoth)) {
      bind(ps, 0, ClaimKind.DATABASE, database, owner);
      bind(ps, 4, ClaimKind.USER, user, owner);
      inserted = ps.executeUpdate();
    }
    if (inserted == 2) {
      return new ClaimResults(
          new ClaimResult(owner, true, owner), new ClaimResult(owner, true, owner));
    }
    // Someone claimed one of them in between. A name seen unclaimed just before that now belongs to
    // the owner was taken by the statement above; the other keeps its new owner.
    return new ClaimResults(
        raced(c, ClaimKind.DATABASE, database, owner, inserted > 0),
        raced(c, ClaimKind.USER, user, owner, inserted > 0));
  }

  private ClaimResult raced(
      Connection c, ClaimKind kind, String name, Owner owner, boolean anyInserted)
      throws SQLException {
    Owner current =
        owner(c, kind, name).orElseThrow(() -> new SQLException("claim vanished while being read"));
    return new ClaimResult(current, anyInserted && current.equals(owner), owner);
  }

  /**
   * Runs {@code query}, which returns two rows, the database's and then the user's, each with the
   * claim's owner_namespace and owner_name (NULL when unclaimed) and whether the name exists. Its
   * parameters are {@code databaseExists}, then kind and name, then the same for the user.
   */
  public NameStates lookUp(
      Connection c,
      String query,
      List<String> databaseExists,
      String database,
      List<String> userExists,
      String user)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      int i = 1;
      for (String parameter : databaseExists) {
        ps.setString(i++, parameter);
      }
      ps.setString(i++, ClaimKind.DATABASE.name());
      ps.setString(i++, database);
      for (String parameter : userExists) {
        ps.setString(i++, parameter);
      }
      ps.setString(i++, ClaimKind.USER.name());
      ps.setString(i, user);
      try (ResultSet rs = ps.executeQuery()) {
        return new NameStates(nameState(rs), nameState(rs));
      }
    }
  }

  private static NameState nameState(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      throw new SQLException("the claim lookup returned too few rows");
    }
    String namespace = rs.getString(1);
    Optional<Owner> owner =
        namespace == null ? Optional.empty() : Optional.of(new Owner(namespace, rs.getString(2)));
    return new NameState(owner, rs.getBoolean(3));
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
    bind(ps, 0, kind, name, owner);
  }

  /** Binds kind, name and the owner, if any, as parameters {@code offset + 1} onwards. */
  private static void bind(
      PreparedStatement ps, int offset, ClaimKind kind, String name, Owner owner)
      throws SQLException {
    ps.setString(offset + 1, kind.name());
    ps.setString(offset + 2, name);
    if (owner != null) {
      ps.setString(offset + 3, owner.namespace());
      ps.setString(offset + 4, owner.name());
    }
  }
}
