package io.appdb.operator.engine.mysql;

import static io.appdb.operator.engine.SqlQuoting.mysqlAccount;
import static io.appdb.operator.engine.SqlQuoting.mysqlGrantScope;
import static io.appdb.operator.engine.SqlQuoting.mysqlIdentifier;
import static io.appdb.operator.engine.SqlQuoting.mysqlLiteral;

import io.appdb.operator.engine.Sql;
import java.util.List;

/**
 * Every SQL statement the operator sends to MySQL 8.0+ and MariaDB 10.5+ (the SQL here is accepted
 * by both). Pure: builds text only, quoting every name and literal through {@link
 * io.appdb.operator.engine.SqlQuoting}; values that are not names travel as PreparedStatement
 * parameters in the queries below.
 */
public final class MySqlStatements {

  /** The operator's own database holding the claims table. */
  public static final String CLAIMS_DATABASE = "appdb_operator";

  /**
   * What the application user gets on its own database, and nothing else: no GRANT OPTION, no
   * global privilege, no other database.
   */
  public static final List<String> APP_PRIVILEGES =
      List.of(
          "SELECT",
          "INSERT",
          "UPDATE",
          "DELETE",
          "CREATE",
          "DROP",
          "ALTER",
          "INDEX",
          "REFERENCES",
          "CREATE TEMPORARY TABLES",
          "LOCK TABLES",
          "CREATE VIEW",
          "SHOW VIEW",
          "CREATE ROUTINE",
          "ALTER ROUTINE",
          "EXECUTE",
          "TRIGGER",
          "EVENT");

  /**
   * A ReadWrite account on its database: rows only. No CREATE, ALTER, DROP, INDEX, REFERENCES,
   * TRIGGER, EVENT, routine or view creation, LOCK TABLES, temporary tables or GRANT OPTION; no
   * EXECUTE either, since a routine runs with its definer's (the Owner's) rights by default.
   */
  public static final List<String> READ_WRITE_PRIVILEGES =
      List.of("SELECT", "INSERT", "UPDATE", "DELETE", "SHOW VIEW");

  /** A ReadOnly account on its database: read tables and views, see view definitions. */
  public static final List<String> READ_ONLY_PRIVILEGES = List.of("SELECT", "SHOW VIEW");

  /**
   * The global privileges the admin account needs, all {@code ON *.* WITH GRANT OPTION}; {@code
   * MySqlEngine.probe} checks exactly these and the README quotes them:
   *
   * <ul>
   *   <li>{@link #APP_PRIVILEGES}: a user can only grant what it holds with GRANT OPTION; CREATE
   *       and DROP also cover creating and dropping the tenant databases and the claims database,
   *       and SELECT covers reading {@code mysql.user} and the privilege tables for drift checks;
   *   <li>{@code CREATE USER}: create, alter and drop accounts, and {@code REVOKE ALL PRIVILEGES}
   *       from an account whose grants drifted;
   *   <li>{@code PROCESS}: see other users' sessions in {@code information_schema.PROCESSLIST};
   *   <li>{@code CONNECTION ADMIN}: kill other users' sessions (MariaDB 10.5+). MySQL 8 calls this
   *       dynamic privilege {@code CONNECTION_ADMIN}; {@code SUPER} also satisfies the check.
   * </ul>
   */
  public static final List<String> ADMIN_PRIVILEGES =
      concat(APP_PRIVILEGES, List.of("CREATE USER", "PROCESS", "CONNECTION ADMIN"));

  private MySqlStatements() {}

  /** The GRANT a platform engineer runs (as root) to set up the admin account. */
  public static Sql grantAdminPrivileges(String adminUser, String adminHost) {
    return Sql.of(
        "GRANT "
            + String.join(", ", ADMIN_PRIVILEGES)
            + " ON *.* TO "
            + mysqlAccount(adminUser, adminHost)
            + " WITH GRANT OPTION");
  }

  // ---- claims store -------------------------------------------------------------------------

  static Sql createClaimsDatabase() {
    return Sql.of(
        "CREATE DATABASE IF NOT EXISTS "
            + mysqlIdentifier(CLAIMS_DATABASE)
            + " CHARACTER SET utf8mb4");
  }

  static Sql createClaimsTable() {
    return Sql.of(
        "CREATE TABLE IF NOT EXISTS "
            + mysqlIdentifier(CLAIMS_DATABASE)
            + ".claims (kind VARCHAR(16) NOT NULL, name VARCHAR(64) NOT NULL,"
            + " owner_namespace VARCHAR(253) NOT NULL, owner_name VARCHAR(253) NOT NULL,"
            + " created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            + " PRIMARY KEY (kind, name))"
            + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
  }

  /**
   * Insert-if-absent without INSERT IGNORE, which would also swallow unrelated errors. With the
   * driver's {@code useAffectedRows=true} the update count is 1 for a new row and 0 for an existing
   * one.
   */
  static final String INSERT_CLAIM =
      "INSERT INTO appdb_operator.claims (kind, name, owner_namespace, owner_name)"
          + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = name";

  /**
   * Two claims in one statement. With {@code useAffectedRows} (set on every connection) the update
   * count is the rows inserted: a duplicate left unchanged counts 0.
   */
  static final String INSERT_BOTH_CLAIMS =
      "INSERT INTO appdb_operator.claims (kind, name, owner_namespace, owner_name)"
          + " VALUES (?, ?, ?, ?), (?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = name";

  static final String CLAIMED_NAMES =
      "SELECT name FROM appdb_operator.claims WHERE kind = ? AND owner_namespace = ?"
          + " AND owner_name = ? ORDER BY name";

  static final String SELECT_CLAIM =
      "SELECT owner_namespace, owner_name FROM appdb_operator.claims WHERE kind = ? AND name = ?";

  /**
   * Row {@code row} of {@link #NAME_STATES}: the claim on a name left-joined to one row saying
   * whether the name exists (see ClaimsTable).
   */
  private static String nameState(int row, String existsCheck) {
    return "SELECT c.owner_namespace, c.owner_name, EXISTS ("
        + existsCheck
        + "), "
        + row
        + " FROM (SELECT 1) AS one LEFT JOIN appdb_operator.claims c"
        + " ON c.kind = ? AND c.name = ?";
  }

  /** The database name's state, then the user name's. */
  static final String NAME_STATES =
      nameState(1, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")
          + " UNION ALL "
          + nameState(2, "SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?")
          + " ORDER BY 4";

  static final String DELETE_CLAIM =
      "DELETE FROM appdb_operator.claims"
          + " WHERE kind = ? AND name = ? AND owner_namespace = ? AND owner_name = ?";

  // ---- catalog queries ------------------------------------------------------------------------

  static final String VERSION = "SELECT VERSION()";
  static final String CURRENT_ACCOUNT = "SELECT CURRENT_USER()";
  static final String DATABASE_EXISTS =
      "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
  static final String USER_LIMIT =
      "SELECT max_user_connections FROM mysql.user WHERE User = ? AND Host = ?";

  /** Grantee strings in information_schema read {@code 'user'@'host'}. */
  static final String GLOBAL_PRIVILEGES =
      "SELECT PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES"
          + " WHERE GRANTEE = ?";

  static final String SCHEMA_PRIVILEGES =
      "SELECT TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES"
          + " WHERE GRANTEE = ?";

  /** Table, column and routine grants outside the user's own database. */
  static final String OBJECT_PRIVILEGES_ELSEWHERE =
      "SELECT TABLE_SCHEMA FROM information_schema.TABLE_PRIVILEGES"
          + " WHERE GRANTEE = ? AND TABLE_SCHEMA <> ?"
          + " UNION SELECT TABLE_SCHEMA FROM information_schema.COLUMN_PRIVILEGES"
          + " WHERE GRANTEE = ? AND TABLE_SCHEMA <> ?"
          + " UNION SELECT Db FROM mysql.procs_priv WHERE User = ? AND Host = ? AND Db <> ?";

  /**
   * Table, column and routine grants inside the user's own database: privilege and whether it is
   * grantable. Routine privileges are spelled like 'Execute' and 'Alter Routine' there; 'Grant' is
   * the grant option.
   */
  static final String OBJECT_PRIVILEGES_HERE =
      "SELECT PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.TABLE_PRIVILEGES"
          + " WHERE GRANTEE = ? AND TABLE_SCHEMA = ?"
          + " UNION SELECT PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.COLUMN_PRIVILEGES"
          + " WHERE GRANTEE = ? AND TABLE_SCHEMA = ?"
          + " UNION SELECT UPPER(Proc_priv), 'NO' FROM mysql.procs_priv"
          + " WHERE User = ? AND Host = ? AND Db = ?";

  // ---- catalog snapshot: every account and database at once ----------------------------------

  /*
   * The bulk forms of the per-account queries above, read by MySqlCatalog with a fixed number of
   * statements. information_schema returns only rows the admin may see; its global SELECT (see
   * ADMIN_PRIVILEGES) shows every account's. The grant tables are read where the per-account
   * queries read them too, so that both see the same rows: mysql.user and mysql.procs_priv by User
   * and Host (on MariaDB 10.4+ mysql.user is a view over mysql.global_priv with the same columns;
   * on MySQL 8 it is a table), the rest through information_schema, whose GRANTEE strings have the
   * same form on both servers. Nothing here differs between MySQL 8.0+ and MariaDB 10.5+.
   */

  static final String ALL_CLAIMS =
      "SELECT kind, name, owner_namespace, owner_name FROM appdb_operator.claims";

  static final String ALL_DATABASES = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA";

  /** Every account at the operator's user host. */
  static final String ALL_USER_LIMITS =
      "SELECT User, max_user_connections FROM mysql.user WHERE Host = ?";

  static final String ALL_GLOBAL_PRIVILEGES =
      "SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES";

  static final String ALL_SCHEMA_PRIVILEGES =
      "SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE"
          + " FROM information_schema.SCHEMA_PRIVILEGES";

  /** Table and column grants in every database. */
  static final String ALL_OBJECT_PRIVILEGES =
      "SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE"
          + " FROM information_schema.TABLE_PRIVILEGES"
          + " UNION ALL SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE"
          + " FROM information_schema.COLUMN_PRIVILEGES";

  /**
   * Routine grants of every account at the operator's user host, spelled as in {@link
   * #OBJECT_PRIVILEGES_HERE}. A query of its own: mysql.procs_priv has User and Host, not GRANTEE.
   */
  static final String ALL_ROUTINE_PRIVILEGES =
      "SELECT User, Db, UPPER(Proc_priv) FROM mysql.procs_priv WHERE Host = ?";

  static final String SESSIONS =
      "SELECT ID FROM information_schema.PROCESSLIST"
          + " WHERE (USER = ? OR DB = ?) AND ID <> CONNECTION_ID()";

  // ---- users ----------------------------------------------------------------------------------

  /**
   * Fails (error 1396) when the account exists: callers create only accounts they have just seen to
   * be missing, and one made by someone else in between is not taken over silently.
   */
  static Sql createUser(
      String user, String host, String password, int maxConnections, boolean mariadb) {
    String account = mysqlAccount(user, host);
    String limit = " WITH MAX_USER_CONNECTIONS " + maxConnections;
    return Sql.sensitive(
        "CREATE USER " + account + identifiedBy(password, mariadb) + limit,
        "CREATE USER " + account + " IDENTIFIED BY ***" + limit);
  }

  static Sql alterUser(
      String user, String host, String password, int maxConnections, boolean mariadb) {
    String account = mysqlAccount(user, host);
    String limit = " WITH MAX_USER_CONNECTIONS " + maxConnections;
    return Sql.sensitive(
        "ALTER USER " + account + identifiedBy(password, mariadb) + limit,
        "ALTER USER " + account + " IDENTIFIED BY ***" + limit);
  }

  static Sql setConnectionLimit(String user, String host, int maxConnections) {
    return Sql.of(
        "ALTER USER " + mysqlAccount(user, host) + " WITH MAX_USER_CONNECTIONS " + maxConnections);
  }

  static Sql setPassword(String user, String host, String password, boolean mariadb) {
    String account = mysqlAccount(user, host);
    return Sql.sensitive(
        "ALTER USER " + account + identifiedBy(password, mariadb),
        "ALTER USER " + account + " IDENTIFIED BY ***");
  }

  /**
   * Where MySQL and MariaDB differ: MariaDB writes account statements to its general and slow query
   * logs verbatim, so it gets the mysql_native_password hash ({@code *} + hex of
   * SHA1(SHA1(password)), what MariaDB stores anyway) through {@code IDENTIFIED BY PASSWORD}, and
   * the plaintext never reaches the server. MySQL 8 rewrites passwords out of its logs itself and
   * no longer uses that hash by default, so it gets the plain form.
   */
  static String identifiedBy(String password, boolean mariadb) {
    return mariadb
        ? " IDENTIFIED BY PASSWORD " + mysqlLiteral(nativePasswordHash(password))
        : " IDENTIFIED BY " + mysqlLiteral(password);
  }

  static String nativePasswordHash(String password) {
    try {
      java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
      byte[] once = sha1.digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] twice = sha1.digest(once);
      return "*" + java.util.HexFormat.of().withUpperCase().formatHex(twice);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }

  static Sql dropUser(String user, String host) {
    return Sql.of("DROP USER IF EXISTS " + mysqlAccount(user, host));
  }

  // ---- databases and grants -------------------------------------------------------------------

  static Sql createDatabase(String database) {
    return Sql.of(
        "CREATE DATABASE IF NOT EXISTS " + mysqlIdentifier(database) + " CHARACTER SET utf8mb4");
  }

  /** Fails (error 1007) when the database exists. */
  static Sql createNewDatabase(String database) {
    return Sql.of("CREATE DATABASE " + mysqlIdentifier(database) + " CHARACTER SET utf8mb4");
  }

  static Sql dropDatabase(String database) {
    return Sql.of("DROP DATABASE IF EXISTS " + mysqlIdentifier(database));
  }

  /**
   * {@code privileges} (fixed keywords from the lists above, never input) on exactly one database:
   * {@code _} and {@code %} escaped in the scope.
   */
  static Sql grantPrivileges(List<String> privileges, String database, String user, String host) {
    return Sql.of(
        "GRANT "
            + String.join(", ", privileges)
            + " ON "
            + mysqlGrantScope(database)
            + ".* TO "
            + mysqlAccount(user, host));
  }

  /** Removes every privilege, at every level, so that the grant can be rebuilt from scratch. */
  static Sql revokeEverything(String user, String host) {
    return Sql.of("REVOKE ALL PRIVILEGES, GRANT OPTION FROM " + mysqlAccount(user, host));
  }

  /** KILL takes a number, never text: session ids are read as integers. */
  static Sql kill(long sessionId) {
    return Sql.of("KILL CONNECTION " + sessionId);
  }

  /**
   * Run on every admin connection. NO_BACKSLASH_ESCAPES makes doubled single quotes the complete
   * literal escape (see {@link io.appdb.operator.engine.SqlQuoting}); the lock waits bound DDL that
   * queues behind an application's metadata or row locks.
   */
  static String adminSessionSetup(int lockTimeoutSeconds) {
    return "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''),"
        + " 'NO_BACKSLASH_ESCAPES'), SESSION lock_wait_timeout = "
        + lockTimeoutSeconds
        + ", SESSION innodb_lock_wait_timeout = "
        + lockTimeoutSeconds;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
