package io.appdb.operator.engine.postgresql;

import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.engine.AdminPool;
import io.appdb.operator.engine.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The privileges of one ReadWrite or ReadOnly account in its database, applied and checked from an
 * admin connection to that database (grants on tables, schemas and default privileges live there,
 * not in the shared catalog the admin pool sees).
 *
 * <p>Grants are made as the owner ({@code SET ROLE}), so that they are recorded with the owner as
 * grantor and the owner's REVOKE takes them back. Default privileges are set for the owner role
 * without {@code IN SCHEMA}, so they cover every schema, including those the owner creates later;
 * {@code USAGE ON SCHEMAS} covers the new schemas themselves.
 */
final class PostgresAccess {

  /** Table privileges per access level, also applied to views and materialized views. */
  static final Map<AccountAccess, List<String>> TABLE_PRIVILEGES =
      Map.of(
          AccountAccess.ReadWrite, List.of("SELECT", "INSERT", "UPDATE", "DELETE"),
          AccountAccess.ReadOnly, List.of("SELECT"));

  /** Sequence privileges: ReadWrite needs USAGE/UPDATE for nextval() and setval(). */
  static final Map<AccountAccess, List<String>> SEQUENCE_PRIVILEGES =
      Map.of(
          AccountAccess.ReadWrite, List.of("SELECT", "USAGE", "UPDATE"),
          AccountAccess.ReadOnly, List.of("SELECT"));

  private static final String TABLES = "TABLES";
  private static final String SEQUENCES = "SEQUENCES";
  private static final String SCHEMAS = "SCHEMAS";
  private static final String PUBLIC_SCHEMA = "public";
  private static final String PUBLIC_SCHEMA_OWNER = "pg_database_owner";

  private final Connection c;
  private final String database;
  private final String owner;
  private final String user;
  private final Set<String> tablePrivileges;
  private final Set<String> sequencePrivileges;
  private final List<String> repaired = new ArrayList<>();
  private boolean firstTime;

  PostgresAccess(
      Connection tenantDatabase, String database, String owner, String user, AccountAccess access) {
    if (access == null || access == AccountAccess.Owner) {
      throw new IllegalArgumentException("not an account access level: " + access);
    }
    this.c = tenantDatabase;
    this.database = database;
    this.owner = owner;
    this.user = user;
    this.tablePrivileges = new TreeSet<>(TABLE_PRIVILEGES.get(access));
    this.sequencePrivileges = new TreeSet<>(SEQUENCE_PRIVILEGES.get(access));
  }

  /** Applies the account's privileges and repairs drift; returns what was repaired. */
  List<String> ensure() throws SQLException {
    List<DefaultEntry> defaults = defaultEntries();
    firstTime = defaults.isEmpty();
    revokeMemberships();
    execute(PostgresStatements.setRole(owner));
    try {
      databasePrivileges();
      schemas();
      relations();
      defaultPrivileges(defaults);
    } finally {
      execute(PostgresStatements.resetRole());
    }
    return repaired;
  }

  /** A role membership would lend the account that role's privileges, e.g. the owner's DDL. */
  private void revokeMemberships() throws SQLException {
    for (String role : strings(PostgresStatements.MEMBERSHIPS, user)) {
      execute(PostgresStatements.revokeRole(role, user));
      repaired.add(user + " was a member of role " + role + ", revoked");
    }
  }

  private void databasePrivileges() throws SQLException {
    Set<String> held = privileges(singleString(PostgresStatements.ACCOUNT_DATABASE_PRIVILEGES));
    Set<String> wanted = Set.of("CONNECT");
    if (held.equals(wanted)) {
      return;
    }
    Set<String> extras = minus(held, wanted);
    if (!extras.isEmpty()) {
      execute(PostgresStatements.revokeAllOnDatabase(database, user));
      repaired.add(
          user + " had " + String.join(", ", extras) + " on database " + database + ", revoked");
    } else if (!firstTime) {
      repaired.add(user + " lacked CONNECT on database " + database + ", granted");
    }
    execute(PostgresStatements.grantConnect(database, user));
  }

  private void schemas() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.ACCOUNT_SCHEMAS)) {
      ps.setString(1, owner);
      ps.setString(2, user);
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Object[] {rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getString(4)});
        }
      }
      for (Object[] row : rows) {
        schema((String) row[0], (Boolean) row[1], (Boolean) row[2], privileges((String) row[3]));
      }
    }
  }

  /**
   * The owner's schemas get an explicit USAGE; {@code public}, when the owner does not own it, is
   * usable through PUBLIC and only granted (as its owner, {@code pg_database_owner}) when not.
   */
  private void schema(String schema, boolean ownedByOwner, boolean usable, Set<String> held)
      throws SQLException {
    Set<String> extras = minus(held, Set.of("USAGE"));
    boolean needsGrant = ownedByOwner ? !held.contains("USAGE") : !usable;
    if (extras.isEmpty() && !needsGrant) {
      return;
    }
    boolean asPublicOwner = !ownedByOwner && PUBLIC_SCHEMA.equals(schema);
    if (asPublicOwner) {
      execute(PostgresStatements.setRole(PUBLIC_SCHEMA_OWNER));
    }
    try {
      if (!extras.isEmpty()) {
        execute(PostgresStatements.revokeAllOnSchema(schema, user));
        repaired.add(
            user + " had " + String.join(", ", extras) + " on schema " + schema + ", revoked");
        needsGrant = true;
      } else if (!firstTime) {
        repaired.add(user + " lacked USAGE on schema " + schema + ", granted");
      }
      if (needsGrant) {
        execute(PostgresStatements.grantSchemaUsage(schema, user));
      }
    } finally {
      if (asPublicOwner) {
        execute(PostgresStatements.setRole(owner));
      }
    }
  }

  private void relations() throws SQLException {
    Set<String> grantTables = new TreeSet<>();
    Set<String> grantSequences = new TreeSet<>();
    int lacking = 0;
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.ACCOUNT_RELATIONS)) {
      ps.setString(1, owner);
      ps.setString(2, user);
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)});
        }
      }
      for (Object[] row : rows) {
        String schema = (String) row[0];
        String relation = (String) row[1];
        boolean sequence = (Boolean) row[2];
        Set<String> held = privileges((String) row[3]);
        Set<String> wanted = sequence ? sequencePrivileges : tablePrivileges;
        Set<String> extras = minus(held, wanted);
        if (!extras.isEmpty()) {
          execute(PostgresStatements.revokeAllOnRelation(sequence, schema, relation, user));
          repaired.add(
              user
                  + " had "
                  + String.join(", ", extras)
                  + " on "
                  + schema
                  + "."
                  + relation
                  + ", revoked");
        } else if (held.containsAll(wanted)) {
          continue;
        } else {
          lacking++;
        }
        (sequence ? grantSequences : grantTables).add(schema);
      }
    }
    if (lacking > 0 && !firstTime) {
      repaired.add(user + " lacked privileges on " + lacking + " tables or sequences, granted");
    }
    for (String schema : grantTables) {
      execute(
          PostgresStatements.grantOnAllInSchema(
              TABLES, List.copyOf(tablePrivileges), schema, user));
    }
    for (String schema : grantSequences) {
      execute(
          PostgresStatements.grantOnAllInSchema(
              SEQUENCES, List.copyOf(sequencePrivileges), schema, user));
    }
  }

  private void defaultPrivileges(List<DefaultEntry> entries) throws SQLException {
    Map<String, Set<String>> wanted =
        Map.of("r", tablePrivileges, "S", sequencePrivileges, "n", Set.of("USAGE"));
    Set<String> toGrant = new TreeSet<>(wanted.keySet());
    for (DefaultEntry entry : entries) {
      boolean global = entry.schema() == null;
      Set<String> expected = global ? wanted.getOrDefault(entry.type(), Set.of()) : Set.of();
      Set<String> extras = minus(entry.privileges(), expected);
      String kind = kindOf(entry.type());
      if (!extras.isEmpty() && kind != null) {
        execute(PostgresStatements.revokeDefault(owner, entry.schema(), kind, user));
        repaired.add(
            user
                + " had default privileges "
                + String.join(", ", extras)
                + " on future "
                + kind.toLowerCase(Locale.ROOT)
                + (global ? "" : " in schema " + entry.schema())
                + ", revoked");
      } else if (global && entry.privileges().containsAll(expected)) {
        toGrant.remove(entry.type());
      }
    }
    for (String type : toGrant) {
      String kind = kindOf(type);
      if (!firstTime) {
        repaired.add(
            user
                + " lacked default privileges on future "
                + kind.toLowerCase(Locale.ROOT)
                + ", granted");
      }
      execute(PostgresStatements.grantDefault(owner, kind, List.copyOf(wanted.get(type)), user));
    }
  }

  /** pg_default_acl object types; null for a type no account privilege is expected on. */
  private static String kindOf(String type) {
    return switch (type) {
      case "r" -> TABLES;
      case "S" -> SEQUENCES;
      case "n" -> SCHEMAS;
      case "f" -> "FUNCTIONS";
      case "T" -> "TYPES";
      default -> null;
    };
  }

  private record DefaultEntry(String schema, String type, Set<String> privileges) {}

  private List<DefaultEntry> defaultEntries() throws SQLException {
    List<DefaultEntry> entries = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.ACCOUNT_DEFAULT_PRIVILEGES)) {
      ps.setString(1, owner);
      ps.setString(2, user);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          entries.add(
              new DefaultEntry(rs.getString(1), rs.getString(2), privileges(rs.getString(3))));
        }
      }
    }
    return entries;
  }

  /** "SELECT,UPDATE*" -> {SELECT, UPDATE*}: a privilege held WITH GRANT OPTION keeps its '*'. */
  private static Set<String> privileges(String list) {
    if (list == null || list.isEmpty()) {
      return Set.of();
    }
    return new TreeSet<>(Arrays.asList(list.split(",")));
  }

  private static Set<String> minus(Set<String> held, Set<String> wanted) {
    Set<String> extras = new TreeSet<>(held);
    extras.removeAll(wanted);
    return extras;
  }

  private String singleString(String query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, database);
      ps.setString(2, user);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  private List<String> strings(String query, String value) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private void execute(Sql sql) throws SQLException {
    AdminPool.execute(c, sql);
  }
}
