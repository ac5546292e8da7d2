package io.appdb.operator.naming;

import io.appdb.operator.api.v1alpha1.Engine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names of databases and users on the server: which are valid, and the defaults derived from an
 * AppDatabase.
 *
 * <p><b>Valid names</b> match {@code ^[a-z][a-z0-9_]*$}, fit the engine (PostgreSQL: 63 bytes for
 * both; MySQL: 64 characters for databases, 32 for users, the limit of MySQL 8; MariaDB allows
 * more) and are not {@linkplain #RESERVED_NAMES reserved}.
 *
 * <p><b>Derived database names.</b> Kubernetes names use {@code -} and {@code .}, which database
 * names cannot, so the mapping to {@code [a-z0-9_]} loses information: {@code a-b/c} and {@code
 * a/b-c} would both become {@code a_b_c}. Two AppDatabases must never be given the same database by
 * accident (the second would be refused as {@code DatabaseClaimed}), so:
 *
 * <ul>
 *   <li>a <em>plain</em> name {@code <namespace>_<name>} is used only when both parts are {@code
 *       [a-z0-9]} alone, the namespace starts with a letter, and the result fits and is not
 *       reserved. It contains exactly one {@code _}, so it can be split back into its two parts:
 *       distinct inputs give distinct plain names;
 *   <li>every other input gets a <em>hashed</em> name: the mapped value ({@code db_}-prefixed if it
 *       would not start with a letter or would start with a reserved prefix), cut to leave room,
 *       then {@code _} and the first 8 hex digits of the SHA-256 of the unmapped input (see {@link
 *       #shortHash}). Distinct inputs differ in the hash except with probability 2<sup>-32</sup>.
 * </ul>
 *
 * <p>A hashed name has at least two {@code _} unless the namespace alone is longer than the kept
 * prefix (54 characters on PostgreSQL); only then can it look like a plain name, and it equals one
 * only if its 8 hex digits happen to be that other AppDatabase's name: the same 2<sup>-32</sup>
 * chance as two hashed names meeting.
 *
 * <p><b>Derived user names</b> are {@code <databaseName>_user}, or, when that does not fit, a
 * prefix of it, {@code _} and the hash of the full value. A hashed user name ends in a hex digit,
 * never in {@code _user}, so it cannot meet a plain one.
 *
 * <p>Every derived name passes {@link #databaseNameProblem} / {@link #usernameProblem}.
 */
public final class NameRules {

  /** Characters and first character of every database and user name. */
  public static final Pattern NAME_PATTERN = Pattern.compile("^[a-z][a-z0-9_]*$");

  /** Account names in {@code spec.accounts}: they become part of a user and a Secret name. */
  public static final Pattern ACCOUNT_NAME_PATTERN = Pattern.compile("^[a-z][a-z0-9]*$");

  public static final int MAX_ACCOUNT_NAME_CHARS = 32;

  public static final int POSTGRES_MAX_BYTES = 63;
  public static final int MYSQL_MAX_DATABASE_CHARS = 64;
  public static final int MYSQL_MAX_USER_CHARS = 32;

  /**
   * Names refused for databases and users on every engine, because the server, the operator or a
   * managed offering already uses them, or because they would reach data they should not:
   *
   * <ul>
   *   <li>PostgreSQL system objects and role keywords: {@code postgres}, {@code template0}, {@code
   *       template1}, {@code public}, {@code none}, {@code current_user}, {@code current_role},
   *       {@code session_user}, and the pg_hba.conf keywords {@code all}, {@code replication},
   *       {@code sameuser}, {@code samerole} (a rule naming them would mean something else);
   *   <li>MySQL/MariaDB system schemas and accounts: {@code mysql}, {@code information_schema},
   *       {@code performance_schema}, {@code sys}, {@code root}, {@code mariadb.sys}, {@code test}
   *       (old installs grant every account access to {@code test} and {@code test_*});
   *   <li>the operator's own: {@code appdb_operator} (its claims database), {@code appdb_admin};
   *   <li>admin accounts of managed services: {@code admin}, {@code rdsadmin}, {@code
   *       rds_superuser}, {@code rdsrepladmin}, {@code cloudsqladmin}, {@code cloudsqlsuperuser},
   *       {@code azure_superuser}, {@code azure_pg_admin}, {@code azure_maintenance}.
   * </ul>
   */
  public static final Set<String> RESERVED_NAMES =
      Set.of(
          "postgres",
          "template0",
          "template1",
          "public",
          "none",
          "current_user",
          "current_role",
          "session_user",
          "all",
          "replication",
          "sameuser",
          "samerole",
          "mysql",
          "information_schema",
          "performance_schema",
          "sys",
          "root",
          "mariadb.sys",
          "test",
          "appdb_operator",
          "appdb_admin",
          "admin",
          "rdsadmin",
          "rds_superuser",
          "rdsrepladmin",
          "cloudsqladmin",
          "cloudsqlsuperuser",
          "azure_superuser",
          "azure_pg_admin",
          "azure_maintenance");

  /**
   * Prefixes refused like {@link #RESERVED_NAMES}: PostgreSQL reserves {@code pg_} for system
   * roles, and MySQL's default anonymous grants cover {@code test_*} databases.
   */
  public static final List<String> RESERVED_PREFIXES = List.of("pg_", "test_");

  private static final Pattern PLAIN_NAMESPACE = Pattern.compile("[a-z][a-z0-9]*");
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9]+");
  private static final int HASH_HEX_DIGITS = 8;
  private static final String USER_SUFFIX = "_user";
  private static final String SAFE_PREFIX = "db_";

  private NameRules() {}

  /** The default database name of the AppDatabase {@code namespace/name}; always valid. */
  public static String deriveDatabaseName(Engine engine, String namespace, String name) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    int limit = databaseLimit(engine);
    String plain = namespace + "_" + name;
    if (PLAIN_NAMESPACE.matcher(namespace).matches()
        && PLAIN_NAME.matcher(name).matches()
        && plain.length() <= limit
        && !isReserved(plain)) {
      return plain;
    }
    // The length prefix keeps the hashed value unambiguous even for inputs containing '/'.
    String hashInput = namespace.length() + ":" + namespace + "/" + name;
    return hashed(safeStart(mapToNameCharacters(plain)), limit, hashInput);
  }

  /** The default user name for a database: {@code <databaseName>_user}, shortened to fit. */
  public static String deriveUsername(Engine engine, String databaseName) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(databaseName, "databaseName");
    int limit = userLimit(engine);
    String plain = databaseName + USER_SUFFIX;
    if (NAME_PATTERN.matcher(plain).matches() && plain.length() <= limit && !isReserved(plain)) {
      return plain;
    }
    return hashed(safeStart(mapToNameCharacters(plain)), limit, plain);
  }

  /**
   * The user of account {@code account} of a database: {@code <databaseName>_<account>}, or, when
   * that does not fit or is reserved, a prefix of it, {@code _} and the hash of the full value (as
   * for {@link #deriveUsername}). Always a valid user name; the planner still refuses two accounts
   * of one AppDatabase that would meet.
   */
  public static String deriveAccountUsername(Engine engine, String databaseName, String account) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(databaseName, "databaseName");
    Objects.requireNonNull(account, "account");
    int limit = userLimit(engine);
    String plain = databaseName + "_" + account;
    if (NAME_PATTERN.matcher(plain).matches() && plain.length() <= limit && !isReserved(plain)) {
      return plain;
    }
    return hashed(safeStart(mapToNameCharacters(plain)), limit, plain);
  }

  /** Why {@code account} cannot be an account name, or empty if it can. */
  public static Optional<String> accountNameProblem(String account) {
    if (account == null || account.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (!ACCOUNT_NAME_PATTERN.matcher(account).matches()) {
      return Optional.of(
          "must start with a lower-case letter and contain only lower-case letters and digits"
              + " (pattern ^[a-z][a-z0-9]*$)");
    }
    if (account.length() > MAX_ACCOUNT_NAME_CHARS) {
      return Optional.of(
          "is "
              + account.length()
              + " characters long; at most "
              + MAX_ACCOUNT_NAME_CHARS
              + " are allowed");
    }
    return Optional.empty();
  }

  /** Why {@code databaseName} cannot be used on {@code engine}, or empty if it can. */
  public static Optional<String> databaseNameProblem(Engine engine, String databaseName) {
    Objects.requireNonNull(engine, "engine");
    return problem(databaseName, engine == Engine.POSTGRESQL, databaseLimit(engine));
  }

  /** Why {@code username} cannot be used on {@code engine}, or empty if it can. */
  public static Optional<String> usernameProblem(Engine engine, String username) {
    Objects.requireNonNull(engine, "engine");
    return problem(username, engine == Engine.POSTGRESQL, userLimit(engine));
  }

  /** True for {@link #RESERVED_NAMES} and names starting with a {@link #RESERVED_PREFIXES}. */
  public static boolean isReserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return RESERVED_NAMES.contains(lower) || RESERVED_PREFIXES.stream().anyMatch(lower::startsWith);
  }

  /** The first 8 hex digits of the SHA-256 of {@code value} (UTF-8): the suffix of short names. */
  public static String shortHash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  private static Optional<String> problem(String value, boolean countBytes, int limit) {
    if (value == null || value.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (!NAME_PATTERN.matcher(value).matches()) {
      return Optional.of(
          "must start with a lower-case letter and contain only lower-case letters, digits and"
              + " '_' (pattern ^[a-z][a-z0-9_]*$)");
    }
    int length = countBytes ? value.getBytes(StandardCharsets.UTF_8).length : value.length();
    if (length > limit) {
      return Optional.of(
          "is "
              + length
              + (countBytes ? " bytes" : " characters")
              + " long; at most "
              + limit
              + " are allowed on this engine");
    }
    if (RESERVED_NAMES.contains(value)) {
      return Optional.of(
          "is reserved for the server, the operator or its admins; choose another name");
    }
    Optional<String> prefix = RESERVED_PREFIXES.stream().filter(value::startsWith).findFirst();
    if (prefix.isPresent()) {
      return Optional.of(
          "starts with the reserved prefix '" + prefix.get() + "'; choose another name");
    }
    return Optional.empty();
  }

  private static int databaseLimit(Engine engine) {
    return engine == Engine.POSTGRESQL ? POSTGRES_MAX_BYTES : MYSQL_MAX_DATABASE_CHARS;
  }

  private static int userLimit(Engine engine) {
    return engine == Engine.POSTGRESQL ? POSTGRES_MAX_BYTES : MYSQL_MAX_USER_CHARS;
  }

  private static String mapToNameCharacters(String value) {
    StringBuilder out = new StringBuilder(value.length());
    value
        .toLowerCase(Locale.ROOT)
        .codePoints()
        .forEach(
            c -> out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? (char) c : '_'));
    return out.toString();
  }

  private static String safeStart(String mapped) {
    boolean startsWithLetter =
        !mapped.isEmpty() && mapped.charAt(0) >= 'a' && mapped.charAt(0) <= 'z';
    // Exact reserved names need no care here: the hash suffix added afterwards makes them differ.
    boolean reservedStart = RESERVED_PREFIXES.stream().anyMatch(mapped::startsWith);
    return startsWithLetter && !reservedStart ? mapped : SAFE_PREFIX + mapped;
  }

  // The mapped value is ASCII, so characters and bytes are the same count here.
  private static String hashed(String mapped, int limit, String hashInput) {
    int keep = Math.min(mapped.length(), limit - HASH_HEX_DIGITS - 1);
    return mapped.substring(0, keep) + "_" + shortHash(hashInput);
  }
}
