package io.appdb.operator.engine.postgresql;

import static io.appdb.operator.engine.SqlQuoting.pgIdentifier;
import static io.appdb.operator.engine.SqlQuoting.pgLiteral;

import io.appdb.operator.engine.Sql;
import java.util.List;

/**
 * Every SQL statement the operator sends to PostgreSQL. Pure: builds text only, quoting every name
 * through {@link io.appdb.operator.engine.SqlQuoting}; values that are not names travel as
 * PreparedStatement parameters in the queries below.
 */
public final class PostgresStatements {

  /** The operator's own database holding the claims table. */
  public static final String CLAIMS_DATABASE = "appdb_operator";

  /** Where the admin connects first, before the claims database exists. */
  public static final String BOOTSTRAP_DATABASE = "postgres";

  private PostgresStatements() {}

  // ---- claims store -------------------------------------------------------------------------

  static Sql createClaimsDatabase() {
    return Sql.of("CREATE DATABASE " + pgIdentifier(CLAIMS_DATABASE));
  }

  static Sql createClaimsTable() {
    return Sql.of(
        "CREATE TABLE IF NOT EXISTS claims ("
            + "kind text NOT NULL, name text NOT NULL, "
            + "owner_namespace text NOT NULL, owner_name text NOT NULL, "
            + "created_at timestamptz NOT NULL DEFAULT now(), "
            + "PRIMARY KEY (kind, name))");
  }

  static final String INSERT_CLAIM =
      "INSERT INTO claims (kind, name, owner_namespace, owner_name) VALUES (?, ?, ?, ?) "
          + "ON CONFLICT (kind, name) DO NOTHING";

  /** Two claims in one statement; the update count is the rows inserted. */
  static final String INSERT_BOTH_CLAIMS =
      "INSERT INTO claims (kind, name, owner_namespace, owner_name)"
          + " VALUES (?, ?, ?, ?), (?, ?, ?, ?) ON CONFLICT (kind, name) DO NOTHING";

  static final String CLAIMED_NAMES =
      "SELECT name FROM claims WHERE kind = ? AND owner_namespace = ? AND owner_name = ?"
          + " ORDER BY name";
  static final String SELECT_CLAIM =
      "SELECT owner_namespace, owner_name FROM claims WHERE kind = ? AND name = ?";

  /**
   * Row {@code row} of {@link #NAME_STATES}: the claim on a name left-joined to one row saying
   * whether the name exists (see ClaimsTable).
   */
  private static String nameState(int row, String existsCheck) {
    return "SELECT c.owner_namespace, c.owner_name, EXISTS ("
        + existsCheck
        + "), "
        + row
        + " FROM (SELECT 1) AS one LEFT JOIN claims c ON c.kind = ? AND c.name = ?";
  }

  /** The database name's state, then the role name's. */
  static final String NAME_STATES =
      nameState(1, "SELECT 1 FROM pg_database WHERE datname = ?")
          + " UNION ALL "
          + nameState(2, "SELECT 1 FROM pg_roles WHERE rolname = ?")
          + " ORDER BY 4";

  static final String DELETE_CLAIM =
      "DELETE FROM claims WHERE kind = ? AND name = ? AND owner_namespace = ? AND owner_name = ?";

  // ---- catalog queries ------------------------------------------------------------------------

  static final String SERVER_VERSION =
      "SELECT current_setting('server_version'), current_setting('server_version_num')::int";
  static final String ADMIN_ATTRIBUTES =
      "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user";
  static final String DATABASE_EXISTS = "SELECT 1 FROM pg_database WHERE datname = ?";
  static final String DATABASE_OWNER =
      "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?";
  static final String ROLE_EXISTS = "SELECT 1 FROM pg_roles WHERE rolname = ?";
  static final String ROLE_ATTRIBUTES =
      "SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,"
          + " rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = ?";

  /**
   * Who besides the owner holds a privilege on the database; grantee 0 is PUBLIC. A NULL ACL means
   * the built-in default, which gives PUBLIC CONNECT and TEMPORARY.
   */
  static final String DATABASE_GRANTS =
      "SELECT a.grantee, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)"
          + " END, a.privilege_type FROM pg_database d,"
          + " aclexplode(COALESCE(d.datacl, acldefault('d', d.datdba))) a"
          + " WHERE d.datname = ? AND a.grantee <> d.datdba ORDER BY 1, 3";

  /** Run inside the tenant's database: whether the role may use and create in {@code public}. */
  static final String PUBLIC_SCHEMA_ACCESS =
      "SELECT has_schema_privilege(?::name, oid, 'USAGE')"
          + " AND has_schema_privilege(?::name, oid, 'CREATE')"
          + " FROM pg_namespace WHERE nspname = 'public'";

  /**
   * {@code public} belongs to {@code pg_database_owner}; the admin may become that role because it
   * is a member of the database owner, and only that role can grant on the schema.
   */
  static Sql becomeDatabaseOwner() {
    return Sql.of("SET ROLE pg_database_owner");
  }

  static Sql grantPublicSchema(String role) {
    return Sql.of("GRANT USAGE, CREATE ON SCHEMA public TO " + pgIdentifier(role));
  }

  static Sql resetRole() {
    return Sql.of("RESET ROLE");
  }

  /** Privileges the role holds on databases other than its own, granted by hand. */
  static final String GRANTS_ELSEWHERE =
      "SELECT d.datname, a.privilege_type FROM pg_database d, aclexplode(d.datacl) a"
          + " JOIN pg_roles r ON r.oid = a.grantee"
          + " WHERE r.rolname = ? AND d.datname <> ? ORDER BY 1, 2";

  // ---- catalog snapshot: the queries above, for every claimed name at once ----------------------
  // pg_roles and pg_database are shared catalogs, so they join the claims table of the operator's
  // own database directly; each query reads all claimed names in one round trip.

  static final String SNAPSHOT_CLAIMS =
      "SELECT kind, name, owner_namespace, owner_name FROM claims";
  static final String SNAPSHOT_ROLES =
      "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
          + " rolreplication, rolbypassrls, rolconnlimit FROM pg_roles"
          + " WHERE rolname IN (SELECT name FROM claims WHERE kind = 'USER')";
  static final String SNAPSHOT_DATABASE_OWNERS =
      "SELECT datname, pg_get_userbyid(datdba) FROM pg_database"
          + " WHERE datname IN (SELECT name FROM claims WHERE kind = 'DATABASE')";

  /** {@link #DATABASE_GRANTS} for every claimed database: who besides the owner holds what. */
  static final String SNAPSHOT_DATABASE_GRANTS =
      "SELECT d.datname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)"
          + " END FROM pg_database d,"
          + " aclexplode(COALESCE(d.datacl, acldefault('d', d.datdba))) a"
          + " WHERE d.datname IN (SELECT name FROM claims WHERE kind = 'DATABASE')"
          + " AND a.grantee <> d.datdba";

  /** {@link #GRANTS_ELSEWHERE} for every claimed role: each database it holds a privilege on. */
  static final String SNAPSHOT_ROLE_GRANTS =
      "SELECT r.rolname, d.datname FROM pg_database d, aclexplode(d.datacl) a"
          + " JOIN pg_roles r ON r.oid = a.grantee"
          + " WHERE r.rolname IN (SELECT name FROM claims WHERE kind = 'USER')";

  /**
   * Sessions to end: connected to the database or logged in as the user. Only sessions of roles
   * whose privileges the admin has: a non-superuser admin may not signal a superuser's backend, and
   * one refusal would abort the whole statement.
   */
  static final String TERMINATE_SESSIONS =
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE (datname = ? OR usename = ?) AND pid <> pg_backend_pid()"
          + " AND usesysid IS NOT NULL AND pg_has_role(usesysid, 'USAGE')";

  // ---- roles ----------------------------------------------------------------------------------

  /** The password only as a SCRAM verifier computed on the client (see PostgresEngine). */
  static Sql createRole(String role, int connectionLimit, String scramVerifier) {
    String head =
        "CREATE ROLE "
            + pgIdentifier(role)
            + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"
            + " CONNECTION LIMIT "
            + connectionLimit
            + " PASSWORD ";
    return Sql.sensitive(head + pgLiteral(requireVerifier(scramVerifier)), head + "***");
  }

  /**
   * Sets a password given as its SCRAM-SHA-256 verifier (computed on the client), never as
   * plaintext. The verifier is still secret material, so the statement is redacted.
   */
  static Sql setPasswordVerifier(String role, String scramVerifier) {
    String head = "ALTER ROLE " + pgIdentifier(role) + " PASSWORD ";
    return Sql.sensitive(head + pgLiteral(requireVerifier(scramVerifier)), head + "***");
  }

  /** A plaintext password must never reach a statement, even by mistake. */
  private static String requireVerifier(String verifier) {
    if (!verifier.startsWith("SCRAM-SHA-256$")) {
      throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier");
    }
    return verifier;
  }

  /**
   * Changes only the listed attributes: naming an attribute the admin may not change (SUPERUSER,
   * REPLICATION, BYPASSRLS for a non-superuser) fails even when the value would stay the same.
   */
  static Sql alterRole(String role, List<String> attributeClauses) {
    return Sql.of("ALTER ROLE " + pgIdentifier(role) + " " + String.join(" ", attributeClauses));
  }

  /**
   * Makes the admin a member of a role it manages, which PostgreSQL requires to create a database
   * owned by that role, change or drop such a database, and signal its sessions. On 16+ a
   * CREATEROLE admin is only implicitly granted ADMIN on roles it creates (no INHERIT, no SET), so
   * both options are requested explicitly; on 15 and older the syntax has no options and a
   * CREATEROLE admin may grant any non-superuser role.
   */
  static Sql grantRoleToAdmin(String role, int serverMajor) {
    String grant = "GRANT " + pgIdentifier(role) + " TO CURRENT_USER";
    return Sql.of(serverMajor >= 16 ? grant + " WITH INHERIT TRUE, SET TRUE" : grant);
  }

  static Sql dropOwned(String role) {
    return Sql.of("DROP OWNED BY " + pgIdentifier(role));
  }

  static Sql dropRole(String role) {
    return Sql.of("DROP ROLE IF EXISTS " + pgIdentifier(role));
  }

  // ---- databases ------------------------------------------------------------------------------

  static Sql createDatabase(String database, String owner) {
    return Sql.of("CREATE DATABASE " + pgIdentifier(database) + " OWNER " + pgIdentifier(owner));
  }

  static Sql alterDatabaseOwner(String database, String owner) {
    return Sql.of("ALTER DATABASE " + pgIdentifier(database) + " OWNER TO " + pgIdentifier(owner));
  }

  static Sql revokeAllOnDatabaseFromPublic(String database) {
    return Sql.of("REVOKE ALL ON DATABASE " + pgIdentifier(database) + " FROM PUBLIC");
  }

  static Sql revokeAllOnDatabase(String database, String role) {
    return Sql.of(
        "REVOKE ALL ON DATABASE "
            + pgIdentifier(database)
            + " FROM "
            + pgIdentifier(role)
            + " CASCADE");
  }

  // ---- accounts (run inside the tenant's database) ----------------------------------------

  /** Roles the account is a member of: any of them could lend it more than its access level. */
  static final String MEMBERSHIPS =
      "SELECT pg_get_userbyid(m.roleid) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
          + " WHERE r.rolname = ? ORDER BY 1";

  /**
   * Privileges the account holds explicitly on the database (CONNECT expected), as a sorted list
   * with a '*' after those held WITH GRANT OPTION.
   */
  static final String ACCOUNT_DATABASE_PRIVILEGES =
      "SELECT COALESCE(string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE ''"
          + " END, ',' ORDER BY x.privilege_type), '') FROM pg_database d,"
          + " aclexplode(d.datacl) x JOIN pg_roles a ON a.oid = x.grantee"
          + " WHERE d.datname = ? AND a.rolname = ?";

  /**
   * The schemas an account reaches: those of the owner, and {@code public}: name, whether the owner
   * owns it, whether the account may use it (explicitly or through PUBLIC), and the account's
   * explicit privileges on it.
   */
  static final String ACCOUNT_SCHEMAS =
      "SELECT n.nspname, n.nspowner = o.oid, has_schema_privilege(a.oid, n.oid, 'USAGE'),"
          + " (SELECT COALESCE(string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN '*'"
          + " ELSE '' END, ',' ORDER BY x.privilege_type), '') FROM aclexplode(n.nspacl) x"
          + " WHERE x.grantee = a.oid)"
          + " FROM pg_namespace n, pg_roles o, pg_roles a"
          + " WHERE o.rolname = ? AND a.rolname = ? AND (n.nspowner = o.oid OR n.nspname ="
          + " 'public') ORDER BY 1";

  /**
   * Every table, view, materialized view, foreign table and sequence the owner owns, with the
   * account's explicit privileges on it (sorted, '*' marking GRANT OPTION).
   */
  static final String ACCOUNT_RELATIONS =
      "SELECT n.nspname, c.relname, c.relkind = 'S',"
          + " (SELECT COALESCE(string_agg(x.privilege_type || CASE WHEN x.is_grantable THEN '*'"
          + " ELSE '' END, ',' ORDER BY x.privilege_type), '') FROM aclexplode(c.relacl) x"
          + " WHERE x.grantee = a.oid)"
          + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, pg_roles o, pg_roles a"
          + " WHERE o.rolname = ? AND a.rolname = ? AND c.relowner = o.oid"
          + " AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') ORDER BY 1, 2";

  /**
   * The owner's default privileges naming the account: schema (NULL for the global entries), object
   * type letter, and the privileges (sorted, '*' marking GRANT OPTION).
   */
  static final String ACCOUNT_DEFAULT_PRIVILEGES =
      "SELECT s.nspname, d.defaclobjtype::text, string_agg(x.privilege_type || CASE WHEN"
          + " x.is_grantable THEN '*' ELSE '' END, ',' ORDER BY x.privilege_type)"
          + " FROM pg_default_acl d LEFT JOIN pg_namespace s ON s.oid = d.defaclnamespace,"
          + " aclexplode(d.defaclacl) x, pg_roles o, pg_roles a"
          + " WHERE o.rolname = ? AND a.rolname = ? AND d.defaclrole = o.oid AND x.grantee = a.oid"
          + " GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2";

  /** The owner's privileges are granted as the owner, so that its REVOKE can take them back. */
  static Sql setRole(String role) {
    return Sql.of("SET ROLE " + pgIdentifier(role));
  }

  static Sql revokeRole(String role, String member) {
    return Sql.of("REVOKE " + pgIdentifier(role) + " FROM " + pgIdentifier(member));
  }

  static Sql grantConnect(String database, String role) {
    return Sql.of(
        "GRANT CONNECT ON DATABASE " + pgIdentifier(database) + " TO " + pgIdentifier(role));
  }

  static Sql grantSchemaUsage(String schema, String role) {
    return Sql.of("GRANT USAGE ON SCHEMA " + pgIdentifier(schema) + " TO " + pgIdentifier(role));
  }

  static Sql revokeAllOnSchema(String schema, String role) {
    return Sql.of("REVOKE ALL ON SCHEMA " + pgIdentifier(schema) + " FROM " + pgIdentifier(role));
  }

  /** {@code privileges} are fixed keywords from {@code PostgresAccess}, never input. */
  static Sql grantOnAllInSchema(String kind, List<String> privileges, String schema, String role) {
    return Sql.of(
        "GRANT "
            + String.join(", ", privileges)
            + " ON ALL "
            + kind
            + " IN SCHEMA "
            + pgIdentifier(schema)
            + " TO "
            + pgIdentifier(role));
  }

  static Sql revokeAllOnRelation(boolean sequence, String schema, String relation, String role) {
    return Sql.of(
        "REVOKE ALL ON "
            + (sequence ? "SEQUENCE " : "TABLE ")
            + pgIdentifier(schema)
            + "."
            + pgIdentifier(relation)
            + " FROM "
            + pgIdentifier(role));
  }

  /** Default privileges for every schema, present and future: no IN SCHEMA. */
  static Sql grantDefault(String owner, String kind, List<String> privileges, String role) {
    return Sql.of(
        "ALTER DEFAULT PRIVILEGES FOR ROLE "
            + pgIdentifier(owner)
            + " GRANT "
            + String.join(", ", privileges)
            + " ON "
            + kind
            + " TO "
            + pgIdentifier(role));
  }

  /** {@code schema} null: the global entry; {@code kind} is a fixed keyword. */
  static Sql revokeDefault(String owner, String schema, String kind, String role) {
    return Sql.of(
        "ALTER DEFAULT PRIVILEGES FOR ROLE "
            + pgIdentifier(owner)
            + (schema == null ? "" : " IN SCHEMA " + pgIdentifier(schema))
            + " REVOKE ALL ON "
            + kind
            + " FROM "
            + pgIdentifier(role));
  }

  static Sql reassignOwned(String role, String newOwner) {
    return Sql.of("REASSIGN OWNED BY " + pgIdentifier(role) + " TO " + pgIdentifier(newOwner));
  }

  /** FORCE ends remaining sessions (PostgreSQL 13+). */
  static Sql dropDatabase(String database) {
    return Sql.of("DROP DATABASE IF EXISTS " + pgIdentifier(database) + " WITH (FORCE)");
  }

  /** Without FORCE: the server still ends autovacuum workers, but no one else's session. */
  static Sql dropDatabaseUnforced(String database) {
    return Sql.of("DROP DATABASE IF EXISTS " + pgIdentifier(database));
  }
}
