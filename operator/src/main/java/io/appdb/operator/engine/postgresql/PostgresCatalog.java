package io.appdb.operator.engine.postgresql;

import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.ClaimKind;
import io.appdb.operator.engine.Owner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CatalogSnapshot} of a PostgreSQL server: five queries on one admin connection (claims,
 * claimed roles, owners of claimed databases, grants on them, grants held by claimed roles), judged
 * with the same rules as {@code ensureUser} and {@code ensureGrants}.
 *
 * <p>Before PostgreSQL 16 the owner's access to schema {@code public} is granted inside each
 * database, which no shared catalog shows; on those servers every AppDatabase is reported as not
 * judged (false) and gets its full checks.
 */
final class PostgresCatalog implements CatalogSnapshot {
  private record Claim(ClaimKind kind, String name) {}

  private final boolean judges;
  private final Map<Claim, Owner> claims = new HashMap<>();
  private final Map<String, RoleAttributes> roles = new HashMap<>();
  private final Map<String, String> databaseOwners = new HashMap<>();

  /** Databases on which someone besides the owner (PUBLIC included) holds a privilege. */
  private final Set<String> databasesWithGrants = new HashSet<>();

  /** Per claimed role, the databases it holds a privilege on. */
  private final Map<String, Set<String>> roleGrants = new HashMap<>();

  private PostgresCatalog(boolean judges) {
    this.judges = judges;
  }

  static PostgresCatalog read(Connection c, int serverMajor) throws SQLException {
    PostgresCatalog s = new PostgresCatalog(serverMajor >= 16);
    if (!s.judges) {
      return s;
    }
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SNAPSHOT_CLAIMS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        s.claims.put(
            new Claim(ClaimKind.valueOf(rs.getString(1)), rs.getString(2)),
            new Owner(rs.getString(3), rs.getString(4)));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SNAPSHOT_ROLES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        s.roles.put(rs.getString(1), RoleAttributes.from(rs, 2));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SNAPSHOT_DATABASE_OWNERS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        s.databaseOwners.put(rs.getString(1), rs.getString(2));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SNAPSHOT_DATABASE_GRANTS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        s.databasesWithGrants.add(rs.getString(1));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SNAPSHOT_ROLE_GRANTS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        s.roleGrants.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
      }
    }
    return s;
  }

  @Override
  public boolean inPlace(Expected e) {
    if (!judges
        || !e.owner().equals(claims.get(new Claim(ClaimKind.DATABASE, e.database())))
        || !e.owner().equals(claims.get(new Claim(ClaimKind.USER, e.user())))) {
      return false;
    }
    RoleAttributes role = roles.get(e.user());
    int limit = e.connectionLimit() == null ? -1 : e.connectionLimit();
    if (role == null || !role.inPlace(limit)) {
      return false;
    }
    // The same rules as ensureGrants for an AppDatabase without accounts: the user owns the
    // database, nobody else holds anything on it, and the user holds nothing on another database.
    return e.user().equals(databaseOwners.get(e.database()))
        && !databasesWithGrants.contains(e.database())
        && roleGrants.getOrDefault(e.user(), Set.of()).stream().allMatch(e.database()::equals);
  }
}
