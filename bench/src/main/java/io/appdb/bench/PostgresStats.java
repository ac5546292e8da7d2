package io.appdb.bench;

import io.appdb.operator.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's view of the operator, from its own statement log: every statement and every
 * authorized connection is logged with the user name, so admin work, login checks and the bench's
 * own polling (as the superuser) are told apart. pg_stat_statements would need a restart with a
 * preloaded library; the log needs only a reload.
 */
final class PostgresStats extends ServerStats {
  private static final Pattern STATEMENT =
      Pattern.compile("\\[\\d+\\] (\\S*)@\\S* LOG:  (?:statement|execute [^:]*): (.*)");
  private static final Pattern CONNECTION =
      Pattern.compile("\\[\\d+\\] \\S*@\\S* LOG:  connection authorized: user=(\\S+)");
  private static final Pattern FROM = Pattern.compile("(?i)\\bFROM\\s+([a-z_][a-z_0-9.]*)");

  private final PostgresServer pg;
  private int logOffset;
  private long adminStatements;
  private long appStatements;
  private long adminConnections;
  private long appConnections;
  private final Map<String, Long> kinds = new HashMap<>();

  PostgresStats(PostgresServer pg, Path work) {
    super("postgresql", work);
    this.pg = pg;
    try (Connection c = pg.superuser();
        Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM SET log_statement = 'all'");
      s.execute("ALTER SYSTEM SET log_connections = on");
      s.execute("ALTER SYSTEM SET log_line_prefix = '%m [%p] %u@%d '");
      s.execute("ALTER SYSTEM SET log_rotation_size = 0");
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("configuring PostgreSQL statement logging", e);
    }
    awaitLogging();
    startPolling();
  }

  private void awaitLogging() {
    String marker = "bench_marker_" + System.nanoTime();
    for (int i = 0; i < 100; i++) {
      try (Connection c = pg.superuser();
          Statement s = c.createStatement()) {
        s.execute("SELECT '" + marker + "'");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      if (pg.serverLog().contains(": SELECT '" + marker)) {
        return;
      }
      Sleep.millis(100);
    }
    String log = pg.serverLog();
    throw new IllegalStateException(
        "PostgreSQL did not start logging statements; log ends with: "
            + log.substring(Math.max(0, log.length() - 1500)));
  }

  @Override
  synchronized SqlSample sample() {
    // The logging collector writes through a pipe; give it a moment to catch up.
    Sleep.millis(300);
    String log = pg.serverLog();
    int end = log.lastIndexOf('\n') + 1;
    for (String line : log.substring(Math.min(logOffset, end), end).split("\n")) {
      Matcher m = STATEMENT.matcher(line);
      if (m.find()) {
        String user = m.group(1);
        if (user.equals(PostgresServer.SUPERUSER)) {
          continue;
        }
        if (user.equals(ADMIN_USER)) {
          adminStatements++;
          kinds.merge(kind(m.group(2)), 1L, Long::sum);
        } else {
          appStatements++;
          kinds.merge("login check: " + kind(m.group(2)), 1L, Long::sum);
        }
        continue;
      }
      Matcher c = CONNECTION.matcher(line);
      if (c.find()) {
        String user = c.group(1);
        if (user.equals(ADMIN_USER)) {
          adminConnections++;
        } else if (!user.equals(PostgresServer.SUPERUSER)) {
          appConnections++;
        }
      }
    }
    logOffset = end;
    return new SqlSample(
        adminStatements,
        appStatements,
        adminConnections,
        appConnections,
        Map.copyOf(kinds),
        serverCpuMillisByRole());
  }

  /** A statement's shape: its leading keywords, and for queries the first relation read. */
  static String kind(String sql) {
    String s = sql.strip();
    if (s.isEmpty()) {
      return "(empty: connection validation)";
    }
    String[] words = s.split("\\s+");
    String first = words[0].toUpperCase(Locale.ROOT);
    switch (first) {
      case "SELECT", "WITH":
        Matcher m = FROM.matcher(s);
        return m.find() ? "SELECT from " + m.group(1).toLowerCase(Locale.ROOT) : "SELECT";
      case "GRANT", "REVOKE":
        return first + (s.toUpperCase(Locale.ROOT).contains(" ON ") ? " privileges" : " role");
      case "ALTER":
        if (s.toUpperCase(Locale.ROOT).contains(" PASSWORD ")) {
          return "ALTER ROLE password";
        }
        return words.length > 1 ? first + " " + words[1].toUpperCase(Locale.ROOT) : first;
      case "CREATE", "DROP":
        return words.length > 1 ? first + " " + words[1].toUpperCase(Locale.ROOT) : first;
      default:
        return first;
    }
  }

  @Override
  Connection observer() throws SQLException {
    return pg.superuser();
  }

  @Override
  String adminSessionsQuery() {
    return "SELECT count(*) FROM pg_stat_activity WHERE usename = ?";
  }

  @Override
  boolean isServerProcess(String command) {
    return command.endsWith("/bin/postgres");
  }

  /** Titles: "postgres: checkpointer", "postgres: USER DATABASE HOST(PORT) STATE", the binary. */
  @Override
  String role(String title) {
    return roleOf(title);
  }

  static String roleOf(String title) {
    if (!title.startsWith("postgres: ")) {
      return "postmaster and ended backends";
    }
    String[] words = title.substring("postgres: ".length()).split(" ");
    if (words.length >= 3 && words[2].contains("(")) {
      if (words[0].equals(ADMIN_USER)) {
        return "admin sessions";
      }
      return words[0].equals(PostgresServer.SUPERUSER) ? "the bench's observer" : "login checks";
    }
    return words[0].equals("background")
            || words[0].equals("autovacuum")
            || words[0].equals("logical")
        ? words[0] + " " + (words.length > 1 ? words[1] : "")
        : words[0];
  }
}
