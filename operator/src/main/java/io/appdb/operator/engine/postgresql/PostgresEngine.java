package io.appdb.operator.engine.postgresql;

import static io.appdb.operator.engine.postgresql.PostgresStatements.BOOTSTRAP_DATABASE;
import static io.appdb.operator.engine.postgresql.PostgresStatements.CLAIMS_DATABASE;

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
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.postgresql.util.PasswordUtil;

/**
 * {@link DatabaseEngine} for PostgreSQL 15+. The admin pool connects to the operator's own {@code
 * appdb_operator} database; on first use the engine connects to {@code postgres} once to create it.
 *
 * <p>Passwords never appear in a statement: roles are created, and passwords set, with a SCRAM
 * verifier computed on the client by pgjdbc's {@code PasswordUtil}, so neither the server's
 * statement log nor {@code pg_stat_activity} ever sees plaintext.
 */
public final class PostgresEngine implements DatabaseEngine {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final ServerConnection server;
  private AdminPool pool;
  private int serverMajor;

  private final MeterRegistry meters;

  public PostgresEngine(ServerConnection server) {
    this(server, null);
  }

  /**
   * @param meters where the admin pool reports its connection metrics, or null
   */
  public PostgresEngine(ServerConnection server, MeterRegistry meters) {
    SaltedPasswordMemo.install();
    this.server = server;
    this.meters = meters;
  }

  @Override
  public Engine type() {
    return Engine.POSTGRESQL;
  }

  @Override
  public ServerProbe probe() {
    String version;
    List<String> missing = new ArrayList<>();
    try (Connection c = connectAsAdmin(BOOTSTRAP_DATABASE)) {
      version = readVersion(c);
      try (PreparedStatement ps = c.prepareStatement(PostgresStatements.ADMIN_ATTRIBUTES);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        boolean superuser = rs.getBoolean(1);
        if (!superuser && !rs.getBoolean(2)) {
          missing.add("CREATEDB");
        }
        if (!superuser && !rs.getBoolean(3)) {
          missing.add("CREATEROLE");
        }
      }
    } catch (SQLException e) {
      throw adminFailure("probing the server", e, Exposure.PLAIN);
    }
    if (missing.isEmpty()) {
      pool();
    }
    return new ServerProbe(version, List.copyOf(missing));
  }

  private static final ClaimsTable CLAIMS =
      new ClaimsTable(
          PostgresStatements.INSERT_CLAIM,
          PostgresStatements.INSERT_BOTH_CLAIMS,
          PostgresStatements.SELECT_CLAIM,
          PostgresStatements.CLAIMED_NAMES,
          PostgresStatements.DELETE_CLAIM);

  @Override
  public ClaimResult claim(ClaimKind kind, String name, Owner owner) {
    return withPool("claiming " + kind + " " + name, c -> CLAIMS.claim(c, kind, name, owner));
  }

  @Override
  public ClaimResults claimBoth(String database, String user, Owner owner) {
    return withPool(
        "claiming database " + database + " and user " + user,
        c -> CLAIMS.claimBoth(c, database, user, owner));
  }

  @Override
  public NameStates lookUp(String database, String user) {
    return withPool(
        "looking up database " + database + " and user " + user,
        c ->
            CLAIMS.lookUp(
                c,
                PostgresStatements.NAME_STATES,
                List.of(database),
                database,
                List.of(user),
                user));
  }

  @Override
  public Optional<Owner> claimOwner(ClaimKind kind, String name) {
    return withPool("reading claim " + kind + " " + name, c -> CLAIMS.owner(c, kind, name));
  }

  @Override
  public List<String> claimedNames(ClaimKind kind, Owner owner) {
    return withPool("listing claims of " + owner, c -> CLAIMS.names(c, kind, owner));
  }

  @Override
  public void releaseClaim(ClaimKind kind, String name, Owner owner) {
    withPool("releasing claim " + kind + " " + name, c -> CLAIMS.release(c, kind, name, owner));
  }

  @Override
  public boolean databaseExists(String database) {
    return withPool(
        "checking database " + database,
        c -> exists(c, PostgresStatements.DATABASE_EXISTS, database));
  }

  @Override
  public boolean userExists(String user) {
    return withPool("checking role " + user, c -> exists(c, PostgresStatements.ROLE_EXISTS, user));
  }

  /**
   * A new role is created with its password in one statement; the password goes as a SCRAM verifier
   * derived on the client (PBKDF2, 4096 rounds) before this step borrows an admin connection: with
   * one pooled connection per server (see {@link #pooledShare}) every millisecond it is held is a
   * millisecond no other AppDatabase on the server can use it. (Inside a {@link #session} the
   * connection is held already; the create path derives it with {@link #credential} beforehand.)
   */
  @Override
  public List<String> ensureUser(String user, String password, Integer connectionLimit) {
    int limit = connectionLimit == null ? -1 : connectionLimit;
    String verifier = password == null ? null : scramVerifier(password);
    return withPool(
        "ensuring role " + user,
        verifier == null ? Exposure.PLAIN : Exposure.SENSITIVE,
        c -> {
          Optional<RoleAttributes> existing = RoleAttributes.read(c, user);
          List<String> found = new ArrayList<>();
          if (existing.isEmpty()) {
            if (verifier == null) {
              throw new IllegalArgumentException("a new role needs a password");
            }
            execute(c, PostgresStatements.createRole(user, limit, verifier));
          } else {
            List<String> clauses = new ArrayList<>();
            existing.get().corrections(limit, clauses, found);
            if (!clauses.isEmpty()) {
              execute(c, PostgresStatements.alterRole(user, clauses));
            }
            if (verifier != null) {
              execute(c, PostgresStatements.setPasswordVerifier(user, verifier));
            }
          }
          // Membership with INHERIT lets the admin end the role's sessions (terminateSessions,
          // DROP DATABASE WITH (FORCE)) and act as it in the later steps.
          execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
          return found;
        });
  }

  /** The password with its SCRAM verifier (see {@link #ensureUser} for why on the client). */
  @Override
  public Credential credential(String password) {
    return new Credential(password, scramVerifier(password));
  }

  /** CREATE ROLE refuses an existing role (42710): nothing made by hand is taken over here. */
  @Override
  public void createUser(String user, Credential credential, Integer connectionLimit) {
    String verifier =
        credential.verifier() != null
            ? credential.verifier()
            : scramVerifier(credential.password());
    Sql create =
        PostgresStatements.createRole(
            user, connectionLimit == null ? -1 : connectionLimit, verifier);
    withPool(
        "creating role " + user,
        Exposure.SENSITIVE,
        c -> {
          execute(c, create);
          execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
          return null;
        });
  }

  /**
   * CREATE DATABASE refuses an existing database (42P04). The admin is already a member of {@code
   * owner} ({@link #createUser}), which CREATE DATABASE ... OWNER requires.
   */
  @Override
  public void createDatabase(String database, String owner) {
    withPool(
        "creating database " + database,
        c -> {
          execute(c, PostgresStatements.createDatabase(database, owner));
          execute(c, PostgresStatements.revokeAllOnDatabaseFromPublic(database));
          return null;
        });
  }

  /**
   * The database's owner is the user and PUBLIC lost its default privileges in {@link
   * #createDatabase}; a role made a moment ago holds nothing elsewhere. What remains is the schema
   * grant of servers before 16.
   */
  @Override
  public void grantOnNewDatabase(String database, String user) {
    if (serverMajor < 16) {
      ensurePublicSchema(database, user);
    }
  }

  @Override
  public void setPassword(String user, String password) {
    Sql statement = PostgresStatements.setPasswordVerifier(user, scramVerifier(password));
    withPool(
        "setting the password of role " + user,
        Exposure.SENSITIVE,
        c -> {
          execute(c, statement);
          return null;
        });
  }

  /**
   * The SCRAM-SHA-256 verifier of {@code password}, with a fresh random salt. Its PBKDF2 is kept
   * for the login check that follows ({@link SaltedPasswordMemo}).
   */
  private static String scramVerifier(String password) {
    char[] secret = password.toCharArray();
    try {
      return SaltedPasswordMemo.remembering(() -> PasswordUtil.encodeScramSha256(secret));
    } finally {
      java.util.Arrays.fill(secret, '\0');
    }
  }

  @Override
  public boolean ensureDatabase(String database, String owner) {
    return withPool(
        "ensuring database " + database,
        c -> {
          if (exists(c, PostgresStatements.DATABASE_EXISTS, database)) {
            return false;
          }
          execute(c, PostgresStatements.grantRoleToAdmin(owner, serverMajor));
          boolean created = true;
          try {
            execute(c, PostgresStatements.createDatabase(database, owner));
          } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
              throw e;
            }
            created = false;
          }
          // Closes the window in which PUBLIC could connect; ensureGrants checks it again.
          execute(c, PostgresStatements.revokeAllOnDatabaseFromPublic(database));
          return created;
        });
  }

  /**
   * The app user owns the database, nobody else (PUBLIC included) holds a privilege on it, and the
   * user holds none on any other database. On 16+ the owner can create tables in {@code public}
   * through {@code pg_database_owner}; see {@link #ensurePublicSchema} for older servers.
   */
  @Override
  public List<String> ensureGrants(String database, String user, Collection<String> accountUsers) {
    List<String> repaired = databaseGrants(database, user, Set.copyOf(accountUsers));
    if (serverMajor < 16) {
      repaired.addAll(ensurePublicSchema(database, user));
    }
    return repaired;
  }

  /** Account users' privileges on the database are theirs to check: see {@link #ensureAccess}. */
  private List<String> databaseGrants(String database, String user, Set<String> accountUsers) {
    return withPool(
        "ensuring privileges on database " + database,
        c -> {
          List<String> repaired = new ArrayList<>();
          String owner = singleString(c, PostgresStatements.DATABASE_OWNER, database);
          if (owner == null) {
            throw new SQLException("database " + database + " does not exist", "3D000");
          }
          List<Grant> grants = Grant.onDatabase(c, database);
          grants.removeIf(grant -> accountUsers.contains(grant.grantee()));
          List<GrantElsewhere> elsewhere = GrantElsewhere.of(c, user, database);
          if (owner.equals(user) && grants.isEmpty() && elsewhere.isEmpty()) {
            return repaired;
          }
          // Repairs act as the database owner (ALTER DATABASE OWNER, REVOKE of its grants).
          execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
          if (!owner.equals(user)) {
            execute(c, PostgresStatements.alterDatabaseOwner(database, user));
            repaired.add(
                "owner of database " + database + " changed from " + owner + " back to " + user);
          }
          for (Grant grant : grants) {
            if (grant.isPublic()) {
              execute(c, PostgresStatements.revokeAllOnDatabaseFromPublic(database));
            } else {
              execute(c, PostgresStatements.revokeAllOnDatabase(database, grant.grantee()));
            }
            repaired.add(
                grant.grantee()
                    + " had "
                    + grant.privileges()
                    + " on database "
                    + database
                    + ", revoked");
          }
          for (GrantElsewhere grant : elsewhere) {
            execute(c, PostgresStatements.revokeAllOnDatabase(grant.database(), user));
            repaired.add(
                user
                    + " had "
                    + grant.privileges()
                    + " on database "
                    + grant.database()
                    + ", revoked");
          }
          return repaired;
        });
  }

  /**
   * Before 16, the privileges of the implicit {@code pg_database_owner} membership only reach a
   * role that inherits, and the app role is NOINHERIT, so the owner could not create tables in
   * {@code public} (15 is the oldest version supported; before it, PUBLIC could). The schema is
   * granted to the user explicitly, from inside the tenant's database: a short-lived admin
   * connection, the one connection the operator opens outside the pool, only on these servers.
   */
  private List<String> ensurePublicSchema(String database, String user) {
    try (Connection c = connectAsAdmin(database)) {
      Boolean granted;
      try (PreparedStatement ps = c.prepareStatement(PostgresStatements.PUBLIC_SCHEMA_ACCESS)) {
        ps.setString(1, user);
        ps.setString(2, user);
        try (ResultSet rs = ps.executeQuery()) {
          granted = rs.next() ? rs.getBoolean(1) : null;
        }
      }
      if (granted == null || granted) {
        return new ArrayList<>();
      }
      execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
      execute(c, PostgresStatements.becomeDatabaseOwner());
      execute(c, PostgresStatements.grantPublicSchema(user));
      execute(c, PostgresStatements.resetRole());
      return new ArrayList<>();
    } catch (SQLException e) {
      throw adminFailure("ensuring schema public in " + database, e, Exposure.PLAIN);
    }
  }

  @Override
  public List<String> ensureAccess(
      String database, String owner, String user, AccountAccess access) {
    if (access == null || access == AccountAccess.Owner) {
      throw new IllegalArgumentException("ensureAccess is for ReadWrite and ReadOnly accounts");
    }
    List<String> repaired =
        withPool(
            "ensuring privileges of account " + user + " on database " + database,
            c -> {
              execute(c, PostgresStatements.grantRoleToAdmin(owner, serverMajor));
              execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
              List<String> found = new ArrayList<>();
              for (GrantElsewhere grant : GrantElsewhere.of(c, user, database)) {
                execute(c, PostgresStatements.revokeAllOnDatabase(grant.database(), user));
                found.add(
                    user
                        + " had "
                        + grant.privileges()
                        + " on database "
                        + grant.database()
                        + ", revoked");
              }
              return found;
            });
    try (Connection c = connectAsAdmin(database)) {
      repaired.addAll(new PostgresAccess(c, database, owner, user, access).ensure());
    } catch (SQLException e) {
      throw adminFailure(
          "ensuring privileges of account " + user + " in " + database, e, Exposure.PLAIN);
    }
    return repaired;
  }

  /**
   * REASSIGN OWNED first, so that whatever the account managed to own goes to the owner instead of
   * being dropped; DROP OWNED then removes only its privileges and default-privilege entries.
   */
  @Override
  public void revokeAccess(String database, String owner, String user) {
    boolean inDatabase =
        withPool(
            "revoking privileges of account " + user,
            c -> {
              if (!exists(c, PostgresStatements.ROLE_EXISTS, user)) {
                return false;
              }
              String databaseOwner = singleString(c, PostgresStatements.DATABASE_OWNER, database);
              if (user.equals(databaseOwner)) {
                throw new EngineException(
                    Kind.SQL_ERROR,
                    "role " + user + " owns database " + database + "; it is not removed");
              }
              execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
              execute(c, PostgresStatements.grantRoleToAdmin(owner, serverMajor));
              return databaseOwner != null;
            });
    if (!inDatabase) {
      return;
    }
    try (Connection c = connectAsAdmin(database)) {
      execute(c, PostgresStatements.reassignOwned(user, owner));
      execute(c, PostgresStatements.dropOwned(user));
    } catch (SQLException e) {
      throw adminFailure(
          "revoking privileges of account " + user + " in " + database, e, Exposure.PLAIN);
    }
  }

  @Override
  public CatalogSnapshot snapshot() {
    AdminPool admin = pool();
    try {
      return admin.call(c -> PostgresCatalog.read(c, serverMajor));
    } catch (SQLException e) {
      throw adminFailure("reading the catalog snapshot", e, Exposure.PLAIN);
    }
  }

  @Override
  public String verifyLogin(String database, String user, String password) {
    // The session itself is the proof: the server checks the password and CONNECT on the database
    // before it accepts it. A query would cost a round trip on every check and prove nothing more;
    // the version comes with the startup parameters.
    try (Connection c = connect(database, user, password, Use.LOGIN_CHECK)) {
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
          try (PreparedStatement ps = c.prepareStatement(PostgresStatements.TERMINATE_SESSIONS)) {
            ps.setString(1, database);
            ps.setString(2, user);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  @Override
  public void dropDatabase(String database) {
    withPool(
        "dropping database " + database,
        c -> {
          String owner = singleString(c, PostgresStatements.DATABASE_OWNER, database);
          if (owner == null) {
            return null;
          }
          execute(c, PostgresStatements.grantRoleToAdmin(owner, serverMajor));
          try {
            execute(c, PostgresStatements.dropDatabase(database));
          } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(SqlFailures.driverException(e).getSQLState())) {
              throw e;
            }
            // FORCE ends every other session on the database or refuses: one the admin may not
            // end (an autovacuum worker, which has no role, or another role's session) makes it
            // fail on privileges. Seen at N = 5000 in the benchmark. Without FORCE, the server ends
            // autovacuum workers itself; another role's session makes it fail as "in use"
            // (55006), and the deletion is retried until that session is gone.
            execute(c, PostgresStatements.dropDatabaseUnforced(database));
          }
          return null;
        });
  }

  /**
   * DROP OWNED first removes what the role still holds on shared objects (grants on other
   * databases); a database the role still owns makes DROP ROLE fail, which is the safe outcome.
   */
  @Override
  public void dropUser(String user) {
    withPool(
        "dropping role " + user,
        c -> {
          if (!exists(c, PostgresStatements.ROLE_EXISTS, user)) {
            return null;
          }
          execute(c, PostgresStatements.grantRoleToAdmin(user, serverMajor));
          execute(c, PostgresStatements.dropOwned(user));
          execute(c, PostgresStatements.dropRole(user));
          return null;
        });
  }

  @Override
  public <T> T session(java.util.function.Supplier<T> work) {
    try {
      return pool().session(work);
    } catch (SQLException e) {
      throw adminFailure("borrowing an admin connection", e, Exposure.PLAIN);
    }
  }

  @Override
  public int provisioningConnections() {
    return pooledShare(server).maxConnections();
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

  private <T> T withPool(String action, AdminPool.Work<T> work) {
    return withPool(action, Exposure.PLAIN, work);
  }

  private <T> T withPool(String action, Exposure exposure, AdminPool.Work<T> work) {
    try {
      return pool().call(work);
    } catch (SQLException e) {
      throw adminFailure(action, e, exposure);
    }
  }

  /** Creates the claims store on first use; the pool then connects to it. */
  private synchronized AdminPool pool() {
    if (pool != null) {
      return pool;
    }
    try (Connection c = connectAsAdmin(BOOTSTRAP_DATABASE)) {
      serverMajor = readMajor(c);
      if (!exists(c, PostgresStatements.DATABASE_EXISTS, CLAIMS_DATABASE)) {
        try {
          execute(c, PostgresStatements.createClaimsDatabase());
        } catch (SQLException e) {
          if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
            throw e;
          }
        }
        // Tenants have no business in the claims database.
        execute(c, PostgresStatements.revokeAllOnDatabaseFromPublic(CLAIMS_DATABASE));
      }
    } catch (SQLException e) {
      throw adminFailure("creating the claims database " + CLAIMS_DATABASE, e, Exposure.PLAIN);
    }
    AdminPool created =
        new AdminPool(
            pooledShare(server),
            url(CLAIMS_DATABASE),
            driverProperties(Use.ADMIN_POOL),
            null,
            meters);
    try {
      created.call(
          c -> {
            try {
              execute(c, PostgresStatements.createClaimsTable());
            } catch (SQLException e) {
              // Two operators creating the table at once: the loser sees the winner's type row.
              if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
              }
            }
            return null;
          });
    } catch (SQLException e) {
      created.close();
      throw adminFailure("creating the claims table", e, Exposure.PLAIN);
    }
    pool = created;
    return pool;
  }

  /**
   * PostgreSQL grants inside a database need a connection to that database, which the pool (bound
   * to the claims database) cannot give. So {@code maxConnections} is split: the pool gets all but
   * one, and one permit covers every such direct admin connection (probe, bootstrap, per-database
   * grants). The server never sees more than {@code maxConnections} admin sessions.
   */
  private final java.util.concurrent.Semaphore directConnection =
      new java.util.concurrent.Semaphore(1, true);

  private static ServerConnection pooledShare(ServerConnection s) {
    return new ServerConnection(
        s.serverName(),
        s.engine(),
        s.host(),
        s.port(),
        s.adminUser(),
        s.adminPassword(),
        s.userHost(),
        Math.max(1, s.maxConnections() - 1),
        s.timeout());
  }

  private Connection connectAsAdmin(String database) throws SQLException {
    try {
      if (!directConnection.tryAcquire(server.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SQLException(
            "no admin connection free within " + server.timeout() + " (maxConnections)", "08004");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for an admin connection", "08004", e);
    }
    try {
      Connection c = connect(database, server.adminUser(), server.adminPassword(), Use.DIRECT);
      return releasingOnClose(c);
    } catch (SQLException | RuntimeException e) {
      directConnection.release();
      throw e;
    }
  }

  /** The connection, with its close() also returning the direct-connection permit once. */
  private Connection releasingOnClose(Connection c) {
    java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();
    return (Connection)
        java.lang.reflect.Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(c, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              } finally {
                if ("close".equals(method.getName()) && released.compareAndSet(false, true)) {
                  directConnection.release();
                }
              }
            });
  }

  /** What a connection is for; each gets its own driver settings. */
  private enum Use {
    ADMIN_POOL,
    /** An admin connection to a tenant database, for the grants inside it. */
    DIRECT,
    /** The application user's login check: the handshake, then closed. */
    LOGIN_CHECK
  }

  private Connection connect(String database, String user, String password, Use use)
      throws SQLException {
    Properties props = driverProperties(use);
    props.setProperty("user", user);
    props.setProperty("password", password);
    return DriverManager.getConnection(url(database), props);
  }

  private String url(String database) {
    return "jdbc:postgresql://"
        + AdminPool.urlHost(server.host())
        + ":"
        + server.port()
        + "/"
        + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8);
  }

  private Properties driverProperties(Use use) {
    Properties props = new Properties();
    int timeout = AdminPool.seconds(server.timeout());
    props.setProperty("connectTimeout", Integer.toString(timeout));
    // Every supported server (15+) takes extra_float_digits as a startup parameter; without this
    // pgjdbc sends it as a separate SET after each login, a round trip per login check.
    props.setProperty("assumeMinServerVersion", "10");
    props.setProperty("ApplicationName", "appdb-operator");
    if (use == Use.LOGIN_CHECK) {
      // Only a handshake, so every read is bounded by the timeout itself (as the whole login was
      // before). pgjdbc's loginTimeout runs each login on a new thread: about 0.35 of the 2 ms of
      // client CPU a login check took here.
      props.setProperty("socketTimeout", Integer.toString(timeout));
      return props;
    }
    props.setProperty("loginTimeout", Integer.toString(timeout));
    props.setProperty(
        "socketTimeout",
        Integer.toString(AdminPool.seconds(AdminPool.socketTimeout(server.timeout()))));
    if (use == Use.ADMIN_POOL) {
      props.setProperty("options", "-c lock_timeout=" + server.timeout().toMillis());
    }
    return props;
  }

  private static String readVersion(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SERVER_VERSION);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return displayVersion(rs.getString(1));
    }
  }

  /** The form {@link #probe()} and {@link #verifyLogin} report, e.g. "PostgreSQL 17.6". */
  static String displayVersion(String serverVersion) {
    // server_version may carry a packager suffix, e.g. "17.6 (Debian 17.6-1.pgdg120+1)".
    return "PostgreSQL " + serverVersion.split(" ", 2)[0];
  }

  private static int readMajor(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PostgresStatements.SERVER_VERSION);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(2) / 10000;
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

  private static String singleString(Connection c, String query, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void execute(Connection c, Sql sql) throws SQLException {
    AdminPool.execute(c, sql);
  }

  private EngineException adminFailure(String action, SQLException e, Exposure exposure) {
    return classify(action, e, exposure, false);
  }

  /**
   * The one place PostgreSQL errors become {@link Kind}s. {@code login} marks the application
   * user's login check, where rejected credentials or a missing CONNECT privilege mean the user
   * cannot log in, not that the admin is misconfigured.
   */
  static EngineException classify(String action, SQLException e, Exposure exposure, boolean login) {
    String state = SqlFailures.driverException(e).getSQLState();
    Kind kind;
    if ("28P01".equals(state) || "28000".equals(state)) {
      kind = login ? Kind.LOGIN_FAILED : Kind.ADMIN_CREDENTIALS_INVALID;
    } else if (login && INSUFFICIENT_PRIVILEGE.equals(state)) {
      kind = Kind.LOGIN_FAILED;
    } else if (SqlFailures.isConnectivity(e) || isUnavailableState(state)) {
      kind = Kind.UNAVAILABLE;
    } else if (INSUFFICIENT_PRIVILEGE.equals(state)) {
      kind = Kind.INSUFFICIENT_PRIVILEGES;
    } else {
      kind = Kind.SQL_ERROR;
    }
    return SqlFailures.toEngineException(kind, action, e, exposure);
  }

  /** Lock or statement timeouts, too many connections, server starting or shutting down. */
  private static boolean isUnavailableState(String state) {
    return state != null
        && (state.equals("55P03")
            || state.equals("57014")
            || state.equals("53300")
            || state.startsWith("57P"));
  }

  /** Privileges someone other than the owner holds on a database. */
  private record Grant(long granteeOid, String grantee, List<String> privileges) {
    boolean isPublic() {
      return granteeOid == 0;
    }

    static List<Grant> onDatabase(Connection c, String database) throws SQLException {
      List<Grant> grants = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(PostgresStatements.DATABASE_GRANTS)) {
        ps.setString(1, database);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long oid = rs.getLong(1);
            if (grants.isEmpty() || grants.get(grants.size() - 1).granteeOid() != oid) {
              grants.add(new Grant(oid, rs.getString(2), new ArrayList<>()));
            }
            grants.get(grants.size() - 1).privileges().add(rs.getString(3));
          }
        }
      }
      return grants;
    }
  }

  /** Privileges the app user holds on a database other than its own. */
  private record GrantElsewhere(String database, List<String> privileges) {
    static List<GrantElsewhere> of(Connection c, String role, String ownDatabase)
        throws SQLException {
      List<GrantElsewhere> grants = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(PostgresStatements.GRANTS_ELSEWHERE)) {
        ps.setString(1, role);
        ps.setString(2, ownDatabase);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String database = rs.getString(1);
            if (grants.isEmpty() || !grants.get(grants.size() - 1).database().equals(database)) {
              grants.add(new GrantElsewhere(database, new ArrayList<>()));
            }
            grants.get(grants.size() - 1).privileges().add(rs.getString(2));
          }
        }
      }
      return grants;
    }
  }
}
