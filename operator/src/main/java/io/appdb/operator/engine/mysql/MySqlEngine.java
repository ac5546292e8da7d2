package io.appdb.operator.engine.mysql;

import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.AdminPool;
import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.ClaimKind;
import io.appdb.operator.engine.ClaimResult;
import io.appdb.operator.engine.ClaimResults;
import io.appdb.operator.engine.ClaimsTable;
import io.appdb.operator.engine.Credential;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.EngineException;
import io.appdb.operator.engine.EngineException.Kind;
import io.appdb.operator.engine.NameStates;
import io.appdb.operator.engine.Owner;
import io.appdb.operator.engine.ServerConnection;
import io.appdb.operator.engine.ServerProbe;
import io.appdb.operator.engine.Sql;
import io.appdb.operator.engine.SqlFailures;
import io.appdb.operator.engine.SqlFailures.Exposure;
import io.appdb.operator.engine.SqlQuoting;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@link DatabaseEngine} for MySQL 8.0+ and MariaDB 10.5+. Accounts are {@code 'user'@'userHost'}.
 * Every admin session runs with {@code NO_BACKSLASH_ESCAPES} (set by the pool's init SQL), which is
 * what makes {@link SqlQuoting#mysqlLiteral} complete.
 */
public final class MySqlEngine implements DatabaseEngine {

  private static final int MAX_USER_LENGTH = 32;
  private static final int ER_NO_SUCH_THREAD = 1094;
  private static final Set<Integer> PRIVILEGE_ERRORS = Set.of(1044, 1142, 1227, 1410);
  private static final Set<Integer> UNAVAILABLE_ERRORS = Set.of(1040, 1053, 1205, 1317, 3024);

  private final ServerConnection server;
  private final String userHost;
  private AdminPool pool;
  private boolean claimsStoreReady;

  private final MeterRegistry meters;

  public MySqlEngine(ServerConnection server) {
    this(server, null);
  }

  /**
   * @param meters where the admin pool reports its connection metrics, or null
   */
  public MySqlEngine(ServerConnection server, MeterRegistry meters) {
    this.server = server;
    this.meters = meters;
    this.userHost =
        server.userHost() == null || server.userHost().isEmpty() ? "%" : server.userHost();
  }

  @Override
  public Engine type() {
    return Engine.MYSQL;
  }

  @Override
  public ServerProbe probe() {
    return withPool(
        "probing the server",
        c -> {
          String version = singleString(c, MySqlStatements.VERSION);
          String account = singleString(c, MySqlStatements.CURRENT_ACCOUNT);
          List<String> missing = missingAdminPrivileges(c, grantee(account));
          if (missing.isEmpty()) {
            ensureClaimsStore(c);
          }
          return new ServerProbe(displayVersion(version), missing);
        });
  }

  private static final ClaimsTable CLAIMS =
      new ClaimsTable(
          MySqlStatements.INSERT_CLAIM,
          MySqlStatements.INSERT_BOTH_CLAIMS,
          MySqlStatements.SELECT_CLAIM,
          MySqlStatements.CLAIMED_NAMES,
          MySqlStatements.DELETE_CLAIM);

  @Override
  public ClaimResult claim(ClaimKind kind, String name, Owner owner) {
    return withClaims("claiming " + kind + " " + name, c -> CLAIMS.claim(c, kind, name, owner));
  }

  @Override
  public ClaimResults claimBoth(String database, String user, Owner owner) {
    return withClaims(
        "claiming database " + database + " and user " + user,
        c -> CLAIMS.claimBoth(c, database, user, owner));
  }

  @Override
  public NameStates lookUp(String database, String user) {
    return withClaims(
        "looking up database " + database + " and user " + user,
        c ->
            CLAIMS.lookUp(
                c,
                MySqlStatements.NAME_STATES,
                List.of(database),
                database,
                List.of(user, userHost),
                user));
  }

  @Override
  public Optional<Owner> claimOwner(ClaimKind kind, String name) {
    return withClaims("reading claim " + kind + " " + name, c -> CLAIMS.owner(c, kind, name));
  }

  @Override
  public List<String> claimedNames(ClaimKind kind, Owner owner) {
    return withClaims("listing claims of " + owner, c -> CLAIMS.names(c, kind, owner));
  }

  @Override
  public void releaseClaim(ClaimKind kind, String name, Owner owner) {
    withClaims("releasing claim " + kind + " " + name, c -> CLAIMS.release(c, kind, name, owner));
  }

  @Override
  public boolean databaseExists(String database) {
    return withPool(
        "checking database " + database, c -> exists(c, MySqlStatements.DATABASE_EXISTS, database));
  }

  @Override
  public boolean userExists(String user) {
    return withPool("checking user " + user, c -> readLimit(c, user).isPresent());
  }

  @Override
  public List<String> ensureUser(String user, String password, Integer connectionLimit) {
    requireUserLength(user);
    int limit = wantedLimit(connectionLimit);
    try {
      return pool()
          .call(
              c -> {
                Optional<Integer> existing = readLimit(c, user);
                if (existing.isEmpty()) {
                  if (password == null) {
                    throw new IllegalArgumentException("a new user needs a password");
                  }
                  execute(
                      c, MySqlStatements.createUser(user, userHost, password, limit, isMariaDb(c)));
                  return List.of();
                }
                Optional<String> correction = limitCorrection(existing.get(), limit);
                if (password != null) {
                  execute(
                      c, MySqlStatements.alterUser(user, userHost, password, limit, isMariaDb(c)));
                } else if (correction.isPresent()) {
                  execute(c, MySqlStatements.setConnectionLimit(user, userHost, limit));
                }
                return correction.map(List::of).orElse(List.of());
              });
    } catch (SQLException e) {
      throw classify("ensuring user " + user, e, Exposure.SENSITIVE, false);
    }
  }

  @Override
  public void createUser(String user, Credential credential, Integer connectionLimit) {
    requireUserLength(user);
    int limit = wantedLimit(connectionLimit);
    try {
      pool()
          .call(
              c -> {
                execute(
                    c,
                    MySqlStatements.createUser(
                        user, userHost, credential.password(), limit, isMariaDb(c)));
                return null;
              });
    } catch (SQLException e) {
      throw classify("creating user " + user, e, Exposure.SENSITIVE, false);
    }
  }

  @Override
  public void createDatabase(String database, String owner) {
    withPool(
        "creating database " + database,
        c -> {
          execute(c, MySqlStatements.createNewDatabase(database));
          return null;
        });
  }

  /** A new account holds only USAGE: the app privileges are granted, nothing needs revoking. */
  @Override
  public void grantOnNewDatabase(String database, String user) {
    withPool(
        "granting privileges of " + user + " on " + database,
        c -> {
          execute(
              c,
              MySqlStatements.grantPrivileges(
                  MySqlStatements.APP_PRIVILEGES, database, user, userHost));
          return null;
        });
  }

  @Override
  public void setPassword(String user, String password) {
    requireUserLength(user);
    try {
      pool()
          .call(
              c -> {
                execute(c, MySqlStatements.setPassword(user, userHost, password, isMariaDb(c)));
                return null;
              });
    } catch (SQLException e) {
      throw classify("setting the password of user " + user, e, Exposure.SENSITIVE, false);
    }
  }

  @Override
  public boolean ensureDatabase(String database, String owner) {
    return withPool(
        "ensuring database " + database,
        c -> AdminPool.executeUpdate(c, MySqlStatements.createDatabase(database)) == 1);
  }

  /**
   * Reads every privilege the account holds. Anything beyond the app privileges on its own database
   * (a global privilege, GRANT OPTION, another database, a table, column or routine grant
   * elsewhere) is removed by revoking everything and granting again; only missing app privileges
   * are simply granted.
   */
  @Override
  public List<String> ensureGrants(String database, String user, Collection<String> accountUsers) {
    return ensurePrivileges(database, user, MySqlStatements.APP_PRIVILEGES);
  }

  /**
   * Database-level grants: they cover every table, view and sequence, including those the Owner
   * creates later, and nothing outside the database.
   */
  @Override
  public List<String> ensureAccess(
      String database, String owner, String user, AccountAccess access) {
    if (access == null || access == AccountAccess.Owner) {
      throw new IllegalArgumentException("ensureAccess is for ReadWrite and ReadOnly accounts");
    }
    return ensurePrivileges(
        database,
        user,
        access == AccountAccess.ReadWrite
            ? MySqlStatements.READ_WRITE_PRIVILEGES
            : MySqlStatements.READ_ONLY_PRIVILEGES);
  }

  /** Objects in MySQL belong to no user, and DROP USER removes every grant of the account. */
  @Override
  public void revokeAccess(String database, String owner, String user) {}

  private List<String> ensurePrivileges(String database, String user, List<String> wanted) {
    return withPool(
        "ensuring privileges of " + user + " on " + database,
        c -> {
          MySqlPrivileges.Verdict verdict =
              readPrivileges(c, user, database).judge(database, wanted);
          List<String> extras = verdict.extras();
          List<String> missing = verdict.missing();
          List<String> repaired = new ArrayList<>();
          if (!extras.isEmpty()) {
            execute(c, MySqlStatements.revokeEverything(user, userHost));
            for (String extra : new LinkedHashSet<>(extras)) {
              repaired.add(user + " had " + extra + ", revoked");
            }
          }
          if (!extras.isEmpty() || !missing.isEmpty()) {
            execute(c, MySqlStatements.grantPrivileges(wanted, database, user, userHost));
          }
          if (!missing.isEmpty() && missing.size() < wanted.size()) {
            repaired.add(
                user + " lacked " + String.join(", ", missing) + " on " + database + ", granted");
          }
          return repaired;
        });
  }

  /**
   * The privilege rows of one account, with the per-account statements: the snapshot reads the same
   * rows for every account at once, and both judge them with {@link MySqlPrivileges#judge}.
   */
  private MySqlPrivileges readPrivileges(Connection c, String user, String database)
      throws SQLException {
    String grantee = MySqlPrivileges.grantee(user, userHost);
    List<MySqlPrivileges.Global> global = new ArrayList<>();
    List<MySqlPrivileges.OnSchema> schemas = new ArrayList<>();
    List<MySqlPrivileges.OnObject> objects = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.GLOBAL_PRIVILEGES)) {
      ps.setString(1, grantee);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          global.add(new MySqlPrivileges.Global(rs.getString(1), "YES".equals(rs.getString(2))));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.SCHEMA_PRIVILEGES)) {
      ps.setString(1, grantee);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          schemas.add(
              new MySqlPrivileges.OnSchema(
                  rs.getString(1), rs.getString(2), "YES".equals(rs.getString(3))));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.OBJECT_PRIVILEGES_ELSEWHERE)) {
      bindObjectQuery(ps, grantee, user, database);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          objects.add(new MySqlPrivileges.OnObject(rs.getString(1), null, false));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.OBJECT_PRIVILEGES_HERE)) {
      bindObjectQuery(ps, grantee, user, database);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // The query matched the schema to the database; the row's own spelling may differ in
          // case under information_schema's case-insensitive collation, and it is this database.
          objects.add(
              new MySqlPrivileges.OnObject(
                  database, rs.getString(1), "YES".equals(rs.getString(2))));
        }
      }
    }
    return new MySqlPrivileges(global, schemas, objects);
  }

  private void bindObjectQuery(PreparedStatement ps, String grantee, String user, String database)
      throws SQLException {
    ps.setString(1, grantee);
    ps.setString(2, database);
    ps.setString(3, grantee);
    ps.setString(4, database);
    ps.setString(5, user);
    ps.setString(6, userHost);
    ps.setString(7, database);
  }

  /**
   * One set of catalog queries for every claimed database and user: see {@link MySqlCatalog}. The
   * claims store is created first if missing, as for every other claims access.
   */
  @Override
  public CatalogSnapshot snapshot() {
    return withClaims("reading the catalog snapshot", c -> MySqlCatalog.read(c, userHost));
  }

  @Override
  public String verifyLogin(String database, String user, String password) {
    Properties props = driverProperties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    // A login check per AppDatabase and resync makes Connector/J's set-up queries the bulk of its
    // cost. With one URL for every check (no database in it), the server's variables are read
    // once per engine and cached (cacheServerConfiguration); the session state is tracked locally
    // instead of queried. The database is then entered with COM_INIT_DB (setCatalog), which the
    // server refuses exactly as it refuses a connection naming a database the user may not use.
    props.setProperty("cacheServerConfiguration", "true");
    props.setProperty("useLocalSessionState", "true");
    // Nothing reads the attributes of a session that lasts one round trip.
    props.setProperty("connectionAttributes", "none");
    try (Connection c = DriverManager.getConnection(url(""), props)) {
      // Authentication and COM_INIT_DB are the proof; a query would add a round trip and prove
      // nothing more. The version comes with the server's handshake.
      c.setCatalog(database);
      return displayVersion(c.getMetaData().getDatabaseProductVersion());
    } catch (SQLException e) {
      throw classify("logging in as " + user + " to " + database, e, Exposure.PLAIN, true);
    }
  }

  @Override
  public void terminateSessions(String database, String user) {
    withPool(
        "ending sessions of " + database + "/" + user,
        c -> {
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(MySqlStatements.SESSIONS)) {
            ps.setString(1, user);
            ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
          }
          for (long id : ids) {
            try {
              execute(c, MySqlStatements.kill(id));
            } catch (SQLException e) {
              // The session ended between listing and killing.
              if (e.getErrorCode() != ER_NO_SUCH_THREAD) {
                throw e;
              }
            }
          }
          return ids.size();
        });
  }

  @Override
  public void dropDatabase(String database) {
    withPool(
        "dropping database " + database,
        c -> {
          execute(c, MySqlStatements.dropDatabase(database));
          return null;
        });
  }

  @Override
  public void dropUser(String user) {
    requireUserLength(user);
    withPool(
        "dropping user " + user,
        c -> {
          execute(c, MySqlStatements.dropUser(user, userHost));
          return null;
        });
  }

  @Override
  public <T> T session(java.util.function.Supplier<T> work) {
    try {
      return pool().session(work);
    } catch (SQLException e) {
      throw classify("borrowing an admin connection", e, Exposure.PLAIN, false);
    }
  }

  @Override
  public int provisioningConnections() {
    return Math.max(1, server.maxConnections());
  }

  @Override
  public synchronized int openAdminConnections() {
    return pool == null ? 0 : pool.openConnections();
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private List<String> missingAdminPrivileges(Connection c, String grantee) throws SQLException {
    Set<String> grantable = new HashSet<>();
    Set<String> held = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.GLOBAL_PRIVILEGES)) {
      ps.setString(1, grantee);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String privilege = rs.getString(1).replace('_', ' ');
          held.add(privilege);
          if ("YES".equals(rs.getString(2))) {
            grantable.add(privilege);
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String privilege : MySqlStatements.APP_PRIVILEGES) {
      if (!grantable.contains(privilege)) {
        missing.add(privilege + (held.contains(privilege) ? " (WITH GRANT OPTION)" : ""));
      }
    }
    for (String privilege : List.of("CREATE USER", "PROCESS")) {
      if (!held.contains(privilege)) {
        missing.add(privilege);
      }
    }
    // MySQL 8 reports the dynamic privilege as CONNECTION_ADMIN (normalised above); SUPER also
    // lets an account kill other users' sessions.
    if (!held.contains("CONNECTION ADMIN") && !held.contains("SUPER")) {
      missing.add("CONNECTION ADMIN");
    }
    return missing;
  }

  private <T> T withPool(String action, AdminPool.Work<T> work) {
    try {
      return pool().call(work);
    } catch (SQLException e) {
      throw classify(action, e, Exposure.PLAIN, false);
    }
  }

  private <T> T withClaims(String action, AdminPool.Work<T> work) {
    return withPool(
        action,
        c -> {
          ensureClaimsStore(c);
          return work.run(c);
        });
  }

  private void ensureClaimsStore(Connection c) throws SQLException {
    synchronized (this) {
      if (claimsStoreReady) {
        return;
      }
    }
    execute(c, MySqlStatements.createClaimsDatabase());
    execute(c, MySqlStatements.createClaimsTable());
    synchronized (this) {
      claimsStoreReady = true;
    }
  }

  private synchronized AdminPool pool() {
    if (pool == null) {
      pool =
          new AdminPool(
              server,
              url(""),
              adminProperties(),
              MySqlStatements.adminSessionSetup(AdminPool.seconds(server.timeout())),
              meters);
    }
    return pool;
  }

  private String url(String database) {
    return "jdbc:mysql://"
        + AdminPool.urlHost(server.host())
        + ":"
        + server.port()
        + "/"
        + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Connector/J prepares statements on the client and parses the SQL text on every prepare; the
   * admin connections run the same few claims and catalog queries all day, so each connection keeps
   * their parsed form. Without {@code useLocalSessionState} the driver asks the server {@code
   * SELECT @@session.transaction_read_only} before every plain statement that may write: one round
   * trip more for each CREATE USER, CREATE DATABASE and GRANT. The session state of these
   * connections changes only through JDBC calls (HikariCP's and ours), never through SQL text, so
   * the driver's own record of it is exact. All four are HikariCP's recommended settings for this
   * driver.
   */
  private Properties adminProperties() {
    Properties props = driverProperties();
    props.setProperty("cachePrepStmts", "true");
    props.setProperty("prepStmtCacheSize", "64");
    props.setProperty("prepStmtCacheSqlLimit", "4096");
    props.setProperty("useLocalSessionState", "true");
    return props;
  }

  private Properties driverProperties() {
    Properties props = new Properties();
    props.setProperty("connectTimeout", Long.toString(server.timeout().toMillis()));
    props.setProperty(
        "socketTimeout", Long.toString(AdminPool.socketTimeout(server.timeout()).toMillis()));
    props.setProperty("allowMultiQueries", "false");
    props.setProperty("allowLoadLocalInfile", "false");
    props.setProperty("useAffectedRows", "true");
    return props;
  }

  private volatile Boolean mariadb;

  /** Whether the server is MariaDB (asked once per engine; a server does not change flavour). */
  private boolean isMariaDb(java.sql.Connection c) throws SQLException {
    Boolean known = mariadb;
    if (known == null) {
      known = c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
      mariadb = known;
    }
    return known;
  }

  private static String displayVersion(String version) {
    // MariaDB reports e.g. "11.4.5-MariaDB-log", MySQL "8.0.36" or "8.4.2-commercial".
    String number = version.split("-", 2)[0];
    return (version.contains("MariaDB") ? "MariaDB " : "MySQL ") + number;
  }

  /**
   * A grant scope as people read it: the plain name when every wildcard in it is escaped, else the
   * pattern, since it opens every matching database.
   */
  static String describeScope(String pattern) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        name.append(pattern.charAt(++i));
      } else if (c == '_' || c == '%') {
        return "databases matching " + pattern;
      } else {
        name.append(c);
      }
    }
    return "database " + name;
  }

  /** From CURRENT_USER(), {@code user@host}; the host part cannot contain {@code @}. */
  private static String grantee(String account) {
    int at = account.lastIndexOf('@');
    return MySqlPrivileges.grantee(account.substring(0, at), account.substring(at + 1));
  }

  /** The connection limit a user is given: MySQL spells "unlimited" 0. */
  static int wantedLimit(Integer connectionLimit) {
    return connectionLimit == null ? 0 : connectionLimit;
  }

  /**
   * The correction {@link #ensureUser} reports for an existing user's limit, empty when it is
   * already {@code wanted}; the catalog snapshot asks the same question.
   */
  static Optional<String> limitCorrection(int existing, int wanted) {
    return existing == wanted
        ? Optional.empty()
        : Optional.of("connection limit set to " + wanted + " (was " + existing + ")");
  }

  /** Whether {@link #ensureUser} accepts the name (MariaDB itself allows longer ones). */
  static boolean validUserLength(String user) {
    return user.length() <= MAX_USER_LENGTH;
  }

  private static void requireUserLength(String user) {
    if (!validUserLength(user)) {
      throw new IllegalArgumentException(
          "MySQL user names are at most " + MAX_USER_LENGTH + " characters: " + user);
    }
  }

  private Optional<Integer> readLimit(Connection c, String user) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(MySqlStatements.USER_LIMIT)) {
      ps.setString(1, user);
      ps.setString(2, userHost);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
      }
    }
  }

  private static boolean exists(Connection c, String query, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String singleString(Connection c, String query) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(Connection c, Sql sql) throws SQLException {
    AdminPool.execute(c, sql);
  }

  /**
   * The one place MySQL/MariaDB errors become {@link Kind}s. {@code login} marks the application
   * user's login check: there 1045 (bad credentials) and 1044 (no access to the database) mean the
   * user cannot log in, not that the admin is misconfigured.
   */
  static EngineException classify(String action, SQLException e, Exposure exposure, boolean login) {
    SQLException driver = SqlFailures.driverException(e);
    int code = driver.getErrorCode();
    Kind kind;
    if (code == 1045 || (login && code == 1044)) {
      kind = login ? Kind.LOGIN_FAILED : Kind.ADMIN_CREDENTIALS_INVALID;
    } else if (SqlFailures.isConnectivity(e) || UNAVAILABLE_ERRORS.contains(code)) {
      kind = Kind.UNAVAILABLE;
    } else if (PRIVILEGE_ERRORS.contains(code) || "42501".equals(driver.getSQLState())) {
      kind = Kind.INSUFFICIENT_PRIVILEGES;
    } else {
      kind = Kind.SQL_ERROR;
    }
    return SqlFailures.toEngineException(kind, action, e, exposure);
  }
}
