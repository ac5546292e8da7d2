package io.appdb.operator.engine.mysql;

import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.ClaimKind;
import io.appdb.operator.engine.Owner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link CatalogSnapshot} of a MySQL or MariaDB server: seven queries on one admin connection,
 * however many AppDatabases the server holds (claims, databases, connection limits, and global,
 * database, table/column and routine privileges). Privilege rows are kept only for claimed users,
 * grouped by account, and judged by the same {@link MySqlPrivileges#judge} as {@code ensureGrants};
 * the connection limit by the same {@link MySqlEngine#limitCorrection} as {@code ensureUser}.
 *
 * <p>The queries are separate statements, not one transaction: a change made while they run can
 * show in one and not another. A snapshot is a hint for one resync, and what it misses the next one
 * sees.
 */
final class MySqlCatalog implements CatalogSnapshot {

  private final String userHost;
  private final Map<ClaimKind, Map<String, Owner>> claims;
  private final Set<String> databases;
  private final Map<String, Integer> limits;
  private final Map<String, List<MySqlPrivileges.Global>> global;
  private final Map<String, List<MySqlPrivileges.OnSchema>> schemas;
  private final Map<String, List<MySqlPrivileges.OnObject>> objects;

  private MySqlCatalog(
      String userHost,
      Map<ClaimKind, Map<String, Owner>> claims,
      Set<String> databases,
      Map<String, Integer> limits,
      Map<String, List<MySqlPrivileges.Global>> global,
      Map<String, List<MySqlPrivileges.OnSchema>> schemas,
      Map<String, List<MySqlPrivileges.OnObject>> objects) {
    this.userHost = userHost;
    this.claims = claims;
    this.databases = databases;
    this.limits = limits;
    this.global = global;
    this.schemas = schemas;
    this.objects = objects;
  }

  /** Reads the snapshot on {@code c}, for accounts {@code 'user'@'userHost'}. */
  static MySqlCatalog read(Connection c, String userHost) throws SQLException {
    Map<ClaimKind, Map<String, Owner>> claims = new EnumMap<>(ClaimKind.class);
    for (ClaimKind kind : ClaimKind.values()) {
      claims.put(kind, new HashMap<>());
    }
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_CLAIMS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ClaimKind kind = kindOf(rs.getString(1));
        if (kind != null) {
          claims.get(kind).put(rs.getString(2), new Owner(rs.getString(3), rs.getString(4)));
        }
      }
    }
    Set<String> claimedUsers = claims.get(ClaimKind.USER).keySet();
    // Privilege rows of other accounts (the admin's own, root's, ...) are many and never asked for.
    Set<String> claimedGrantees = new HashSet<>();
    for (String user : claimedUsers) {
      claimedGrantees.add(MySqlPrivileges.granteeKey(MySqlPrivileges.grantee(user, userHost)));
    }

    Set<String> databases = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_DATABASES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        databases.add(rs.getString(1));
      }
    }

    Map<String, Integer> limits = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_USER_LIMITS)) {
      ps.setString(1, userHost);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (claimedUsers.contains(rs.getString(1))) {
            limits.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
    }

    Map<String, List<MySqlPrivileges.Global>> global = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_GLOBAL_PRIVILEGES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = MySqlPrivileges.granteeKey(rs.getString(1));
        if (claimedGrantees.contains(key)) {
          global
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(new MySqlPrivileges.Global(rs.getString(2), "YES".equals(rs.getString(3))));
        }
      }
    }

    Map<String, List<MySqlPrivileges.OnSchema>> schemas = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_SCHEMA_PRIVILEGES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = MySqlPrivileges.granteeKey(rs.getString(1));
        if (claimedGrantees.contains(key)) {
          schemas
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(
                  new MySqlPrivileges.OnSchema(
                      rs.getString(2), rs.getString(3), "YES".equals(rs.getString(4))));
        }
      }
    }

    Map<String, List<MySqlPrivileges.OnObject>> objects = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_OBJECT_PRIVILEGES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String key = MySqlPrivileges.granteeKey(rs.getString(1));
        if (claimedGrantees.contains(key)) {
          objects
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(
                  new MySqlPrivileges.OnObject(
                      rs.getString(2), rs.getString(3), "YES".equals(rs.getString(4))));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.ALL_ROUTINE_PRIVILEGES)) {
      ps.setString(1, userHost);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // procs_priv compares User exactly, as the per-account query does (User = ?).
          if (claimedUsers.contains(rs.getString(1))) {
            objects
                .computeIfAbsent(
                    MySqlPrivileges.granteeKey(MySqlPrivileges.grantee(rs.getString(1), userHost)),
                    k -> new ArrayList<>())
                .add(new MySqlPrivileges.OnObject(rs.getString(2), rs.getString(3), false));
          }
        }
      }
    }
    return new MySqlCatalog(userHost, claims, databases, limits, global, schemas, objects);
  }

  /**
   * An object grant counts as inside the database when its schema is spelled exactly like it, while
   * the per-account queries compare information_schema's TABLE_SCHEMA case-insensitively. The only
   * difference is a grant in a database named like this one in other case (the operator never
   * creates one: its names are lower case); the snapshot counts it as a grant elsewhere, an extra,
   * and so answers false where the checks might not, never the reverse.
   */
  @Override
  public boolean inPlace(Expected expected) {
    Owner owner = expected.owner();
    String database = expected.database();
    String user = expected.user();
    if (!owner.equals(claims.get(ClaimKind.DATABASE).get(database))
        || !owner.equals(claims.get(ClaimKind.USER).get(user))) {
      return false;
    }
    // ensureUser refuses such a name outright, MariaDB would accept it.
    if (!MySqlEngine.validUserLength(user)) {
      return false;
    }
    Integer limit = limits.get(user);
    if (limit == null
        || MySqlEngine.limitCorrection(limit, MySqlEngine.wantedLimit(expected.connectionLimit()))
            .isPresent()) {
      return false;
    }
    if (!databases.contains(database)) {
      return false;
    }
    String key = MySqlPrivileges.granteeKey(MySqlPrivileges.grantee(user, userHost));
    return new MySqlPrivileges(
            global.getOrDefault(key, List.of()),
            schemas.getOrDefault(key, List.of()),
            objects.getOrDefault(key, List.of()))
        .judge(database, MySqlStatements.APP_PRIVILEGES)
        .inPlace();
  }

  private static ClaimKind kindOf(String kind) {
    for (ClaimKind k : ClaimKind.values()) {
      if (k.name().equals(kind)) {
        return k;
      }
    }
    // A kind this version does not know (written by a newer operator): never asked about here.
    return null;
  }
}
