package io.appdb.operator.engine.mysql;

import io.appdb.operator.engine.SqlQuoting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every privilege row of one account as the catalog queries return them, and the one decision made
 * from them: which privileges are more than the account should have on its database and which are
 * missing. Pure, so that {@code MySqlEngine.ensureGrants} (rows of one account) and the catalog
 * snapshot (rows of every account, read at once) can never disagree on what is in place.
 *
 * @param global rows of {@code information_schema.USER_PRIVILEGES}
 * @param schemas rows of {@code information_schema.SCHEMA_PRIVILEGES}
 * @param objects table, column and routine grants, in any database
 */
record MySqlPrivileges(List<Global> global, List<OnSchema> schemas, List<OnObject> objects) {

  /** A global privilege ({@code ON *.*}). */
  record Global(String privilege, boolean grantable) {}

  /**
   * A database-level privilege. {@code schema} is the grant pattern as MySQL stores it, with {@code
   * _} and {@code %} escaped when the grant names exactly one database.
   */
  record OnSchema(String schema, String privilege, boolean grantable) {}

  /**
   * Privileges on a table, column or routine in {@code schema}. {@code privileges} may list several
   * separated by commas ({@code mysql.procs_priv} holds a SET such as {@code EXECUTE,GRANT}, where
   * GRANT is the grant option); it is null when only the database is known, which is all that
   * matters for a grant outside the account's own database.
   */
  record OnObject(String schema, String privileges, boolean grantable) {}

  /**
   * What {@code ensureGrants} has to do: any extra means revoking everything and granting again;
   * missing privileges alone are simply granted.
   *
   * @param extras descriptions of what the account holds beyond the wanted privileges, in the order
   *     found, possibly repeated
   * @param missing wanted privileges the account lacks on its database, in the order wanted
   */
  record Verdict(List<String> extras, List<String> missing) {
    boolean inPlace() {
      return extras.isEmpty() && missing.isEmpty();
    }
  }

  MySqlPrivileges {
    global = List.copyOf(global);
    schemas = List.copyOf(schemas);
    objects = List.copyOf(objects);
  }

  /**
   * Judges the rows against exactly {@code wanted} on {@code database} and nothing else: no global
   * privilege beyond a plain USAGE, no GRANT OPTION anywhere, no other database, no object grant
   * elsewhere, and object grants in the database only for wanted privileges.
   */
  Verdict judge(String database, List<String> wanted) {
    String pattern = SqlQuoting.mysqlGrantPattern(database);
    List<String> extras = new ArrayList<>();
    Set<String> held = new HashSet<>();
    for (Global row : global) {
      if (!"USAGE".equals(row.privilege()) || row.grantable()) {
        extras.add("global " + row.privilege());
      }
    }
    for (OnSchema row : schemas) {
      if (!pattern.equals(row.schema())) {
        extras.add(row.privilege() + " on " + MySqlEngine.describeScope(row.schema()));
      } else {
        if (row.grantable()) {
          extras.add("GRANT OPTION on database " + database);
        }
        held.add(row.privilege());
      }
    }
    for (OnObject row : objects) {
      if (!database.equals(row.schema())) {
        extras.add("object privileges in database " + row.schema());
        continue;
      }
      for (String privilege : row.privileges().split(",")) {
        if (!wanted.contains(privilege) || row.grantable()) {
          extras.add(privilege + " on objects in database " + database);
        }
      }
    }
    List<String> missing = new ArrayList<>(wanted);
    missing.removeAll(held);
    for (String privilege : held) {
      if (!wanted.contains(privilege)) {
        extras.add(privilege + " on database " + database);
      }
    }
    return new Verdict(List.copyOf(extras), List.copyOf(missing));
  }

  /** How information_schema spells an account: {@code 'user'@'host'}. */
  static String grantee(String user, String host) {
    return "'" + user + "'@'" + host + "'";
  }

  /**
   * A grantee as information_schema compares it: its GRANTEE columns use a case-insensitive
   * collation ({@code utf8mb3_general_ci} on MySQL 8 and MariaDB), so {@code GRANTEE = ?} in the
   * per-account queries also matches an account spelled in other case. Grouping the rows of every
   * account by this key gives each account the rows that query would return (operator names and
   * hosts are ASCII, where lower-casing is that collation).
   */
  static String granteeKey(String grantee) {
    return grantee.toLowerCase(Locale.ROOT);
  }
}
