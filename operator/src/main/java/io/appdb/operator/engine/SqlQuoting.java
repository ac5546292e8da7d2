package io.appdb.operator.engine;

/**
 * The one place that turns names and values into SQL text, for both engines. Every identifier and
 * literal the operator sends to a server passes through here; {@code *Statements} classes never
 * concatenate raw input.
 *
 * <p>Input containing NUL, any other control character, or an unpaired UTF-16 surrogate is
 * rejected: such characters have no business in a database name, user name or generated password,
 * and several of them are truncated or mangled differently by driver, protocol and server.
 *
 * <p>MySQL literals are only complete when the session runs with {@code NO_BACKSLASH_ESCAPES}:
 * without it a backslash inside a quoted string escapes the next character, and doubling the single
 * quotes would no longer be enough. The admin pool sets that mode on every connection (see {@code
 * mysql.MySqlEngine}); {@code SqlQuotingIT} proves it against a real server.
 */
public final class SqlQuoting {

  private SqlQuoting() {}

  /** A PostgreSQL identifier: {@code "name"} with embedded double quotes doubled. */
  public static String pgIdentifier(String name) {
    requireIdentifier(name);
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * A PostgreSQL string literal. Single quotes are doubled; if the value contains a backslash the
   * escape-string form {@code E'...'} is used with backslashes doubled, so the result means the
   * same whatever {@code standard_conforming_strings} is set to.
   */
  public static String pgLiteral(String value) {
    requireClean(value, "literal");
    String quoted = value.replace("'", "''");
    if (value.indexOf('\\') >= 0) {
      return "E'" + quoted.replace("\\", "\\\\") + "'";
    }
    return "'" + quoted + "'";
  }

  /** A MySQL/MariaDB identifier: {@code `name`} with embedded backticks doubled. */
  public static String mysqlIdentifier(String name) {
    requireIdentifier(name);
    return '`' + name.replace("`", "``") + '`';
  }

  /**
   * A database name as the scope of {@code GRANT ... ON db.*}. There {@code _} and {@code %} are
   * wildcards (a grant on {@code a_b.*} also opens {@code axb}), so they are escaped with a
   * backslash, and a backslash itself is doubled, before the identifier is quoted.
   */
  public static String mysqlGrantScope(String database) {
    requireIdentifier(database);
    return mysqlIdentifier(mysqlGrantPattern(database));
  }

  /**
   * The database name as MySQL stores it in {@code mysql.db} and reports it in {@code
   * information_schema.SCHEMA_PRIVILEGES} for a grant built by {@link #mysqlGrantScope}.
   */
  public static String mysqlGrantPattern(String database) {
    requireIdentifier(database);
    return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
  }

  /**
   * A MySQL string literal with single quotes doubled. Complete only under {@code
   * NO_BACKSLASH_ESCAPES}, which the admin sessions always run with (see the class comment).
   */
  public static String mysqlLiteral(String value) {
    requireClean(value, "literal");
    return "'" + value.replace("'", "''") + "'";
  }

  /** A MySQL account name, {@code 'user'@'host'}. */
  public static String mysqlAccount(String user, String host) {
    requireIdentifier(user);
    requireClean(host, "host");
    return mysqlLiteral(user) + "@" + mysqlLiteral(host);
  }

  private static void requireIdentifier(String name) {
    requireClean(name, "identifier");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty identifier");
    }
  }

  private static void requireClean(String value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("null " + what);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        // The position is safe to report; the value may be a password and is never echoed.
        throw new IllegalArgumentException(
            what + " contains a control character at index " + i + " (U+" + hex(c) + ")");
      }
      if (Character.isHighSurrogate(c)
          && (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))) {
        throw new IllegalArgumentException(what + " contains an unpaired surrogate at index " + i);
      }
      if (Character.isLowSurrogate(c)
          && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)))) {
        throw new IllegalArgumentException(what + " contains an unpaired surrogate at index " + i);
      }
    }
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }
}
