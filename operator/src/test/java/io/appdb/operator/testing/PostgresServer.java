package io.appdb.operator.testing;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.ServerConnection;
import io.appdb.operator.engine.SqlQuoting;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A real PostgreSQL server for tests, one per major version per JVM, started on first use and
 * stopped by a shutdown hook; {@link #startPrivate} starts one of its own instead. Usage:
 *
 * <pre>{@code
 * PostgresServer pg = PostgresServer.shared(17);          // or 15
 * DatabaseEngine engine = DatabaseEngines.open(pg.adminConnection("shared-postgres"));
 * try (Connection c = pg.superuser()) { ... assertions on the catalog ... }
 * }</pre>
 *
 * <p>Every login is checked: {@code pg_hba.conf} requires {@code scram-sha-256} for TCP and unix
 * sockets, the superuser {@code postgres} has a password, and the operator's admin is the
 * least-privileged role {@code appdb_admin} ({@code LOGIN CREATEDB CREATEROLE}, not superuser).
 *
 * <p>Tests share the server: use names unique to the test (e.g. with a random suffix) and do not
 * leave it stopped.
 */
public final class PostgresServer {

  public static final String HOST = "127.0.0.1";
  public static final String SUPERUSER = "postgres";
  public static final String ADMIN_USER = "appdb_admin";

  private static final Map<Integer, PostgresServer> SHARED = new HashMap<>();

  private final int major;
  private final Path home;
  private final Path dataDirectory;
  private final Path logDirectory;
  private final String superuserPassword = randomPassword();
  private final String adminPassword = randomPassword();
  private EmbeddedPostgres embedded;
  private Path pgCtl;
  private int port;
  private String version;

  private PostgresServer(int major, Path home) {
    this.major = major;
    this.home = home;
    this.dataDirectory = home.resolve("data");
    this.logDirectory = home.resolve("log");
  }

  /** The server of this major version (15 or 17), started on first call. */
  public static synchronized PostgresServer shared(int major) {
    return SHARED.computeIfAbsent(
        major,
        m -> {
          PostgresServer server = new PostgresServer(m, TestDirectories.freshForThisJvm("pg" + m));
          server.startFirstTime(TestDirectories.embedded().resolve("pg-work-" + m));
          Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "pg" + m + "-stop"));
          return server;
        });
  }

  /**
   * A server of its own, not shared and without a shutdown hook: data and logs live under {@code
   * home} (created if needed), which {@link #close()} deletes. The unpacked binaries are kept in
   * {@code binaryCache} so that the next start skips unpacking them; it should hold nothing else.
   */
  public static PostgresServer startPrivate(int major, Path home, Path binaryCache) {
    PostgresServer server = new PostgresServer(major, home);
    try {
      server.startFirstTime(binaryCache);
    } catch (RuntimeException e) {
      server.shutdown();
      throw e;
    }
    return server;
  }

  /** Stops a server from {@link #startPrivate} and deletes its data. */
  public synchronized void close() {
    shutdown();
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public int major() {
    return major;
  }

  /** E.g. {@code "PostgreSQL 17.6"}, the form {@code DatabaseEngine.probe()} reports. */
  public String version() {
    return version;
  }

  public String adminUser() {
    return ADMIN_USER;
  }

  public String adminPassword() {
    return adminPassword;
  }

  public String superuserPassword() {
    return superuserPassword;
  }

  /** A ServerConnection for the operator's admin with a cap of 2 and a 5-second timeout. */
  public ServerConnection adminConnection(String serverName) {
    return adminConnection(serverName, 2, Duration.ofSeconds(5));
  }

  public ServerConnection adminConnection(String serverName, int maxConnections, Duration timeout) {
    return new ServerConnection(
        serverName,
        Engine.POSTGRESQL,
        HOST,
        port,
        ADMIN_USER,
        adminPassword,
        null,
        maxConnections,
        timeout);
  }

  /** A superuser connection to {@code postgres}, for assertions and test setup. */
  public Connection superuser() throws SQLException {
    return superuser("postgres");
  }

  public Connection superuser(String database) throws SQLException {
    return connect(database, SUPERUSER, superuserPassword);
  }

  /** A fresh password-authenticated connection; fails like the driver does on bad credentials. */
  public Connection connect(String database, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + HOST + ":" + port + "/" + database + "?connectTimeout=5",
        user,
        password);
  }

  /** Logs every statement from now on (until the JVM ends); see {@link #serverLog()}. */
  public void enableStatementLogging() {
    runAsSuperuser("ALTER SYSTEM SET log_statement = 'all'", "SELECT pg_reload_conf()");
  }

  /** Everything the server has logged so far. */
  public String serverLog() {
    try (Stream<Path> files = Files.list(logDirectory)) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.sorted().toList()) {
        all.append(Files.readString(file, StandardCharsets.UTF_8));
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server (fast shutdown: sessions are cut). Call {@link #start()} afterwards. */
  public synchronized void stop() {
    pgCtl("stop", "-m", "fast");
  }

  /** Starts the server again on the same port with the same data. */
  public synchronized void start() {
    pgCtl("start", "-l", home.resolve("restart.log").toString());
  }

  private void startFirstTime(Path work) {
    try {
      Files.createDirectories(work);
      Files.createDirectories(home);
      embedded =
          EmbeddedPostgres.builder()
              .setPgBinaryResolver(binaryResolver(major))
              .setRegisterShutdownHook(false)
              .setOverrideWorkingDirectory(work.toFile())
              .setDataDirectory(dataDirectory.toFile())
              .setCleanDataDirectory(true)
              .setServerConfig("logging_collector", "on")
              .setServerConfig("log_directory", logDirectory.toString())
              .setServerConfig("log_filename", "postgresql.log")
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      port = embedded.getPort();
      pgCtl = findPgCtl(work);
    } catch (IOException e) {
      throw new UncheckedIOException("starting embedded PostgreSQL " + major, e);
    }
    secure();
  }

  /**
   * Zonky's cluster trusts every local login. Passwords are set while that lasts, settings are
   * persisted for restarts, and then pg_hba.conf is switched to scram-sha-256 everywhere.
   */
  private void secure() {
    try (Connection c = connect("postgres", SUPERUSER, "");
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD " + SqlQuoting.pgLiteral(superuserPassword));
      s.execute(
          "CREATE ROLE "
              + ADMIN_USER
              + " LOGIN CREATEDB CREATEROLE PASSWORD "
              + SqlQuoting.pgLiteral(adminPassword));
      for (String setting :
          List.of(
              "port = " + port,
              "listen_addresses = '" + HOST + "'",
              "password_encryption = 'scram-sha-256'",
              "logging_collector = on",
              "log_directory = " + SqlQuoting.pgLiteral(logDirectory.toString()),
              "log_filename = 'postgresql.log'")) {
        s.execute("ALTER SYSTEM SET " + setting);
      }
      var rs = s.executeQuery("SELECT current_setting('server_version')");
      rs.next();
      version = "PostgreSQL " + rs.getString(1).split(" ", 2)[0];
      if (!version.startsWith("PostgreSQL " + major + ".")) {
        throw new IllegalStateException(
            "asked for PostgreSQL " + major + " but the binaries found are " + version);
      }
      Files.writeString(
          dataDirectory.resolve("pg_hba.conf"),
          "local all all scram-sha-256\n"
              + "host all all 127.0.0.1/32 scram-sha-256\n"
              + "host all all ::1/128 scram-sha-256\n");
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("securing embedded PostgreSQL " + major, e);
    }
    awaitPasswordRequired();
  }

  /** pg_reload_conf only signals the postmaster; wait until a password-less login is refused. */
  private void awaitPasswordRequired() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Connection ignored = connect("postgres", SUPERUSER, "")) {
        sleep(50);
      } catch (SQLException refused) {
        return;
      }
    }
    throw new IllegalStateException("pg_hba.conf change did not take effect");
  }

  private void pgCtl(String action, String... options) {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // pg_ctl refuses to run as root; zonky starts it in a user namespace, and so do we.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-w", "-t", "60"));
    command.addAll(List.of(options));
    command.add(action);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("pg_ctl " + action + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void shutdown() {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } catch (IOException | RuntimeException e) {
      // The JVM is ending; a server stopped by a test is fine.
    }
    TestDirectories.deleteRecursively(home);
  }

  /**
   * The build copies one binaries jar per major to {@code target/pg-binaries} (see the operator's
   * pom); without it (e.g. in the playground's jar) the binaries jar on the classpath is used.
   */
  private static PgBinaryResolver binaryResolver(int major) {
    String configured = System.getProperty("appdb.pgBinaries");
    Path directory =
        configured != null && !configured.isBlank()
            ? Paths.get(configured)
            : TestDirectories.target().resolve("pg-binaries");
    Path jar = directory.resolve("pg" + major + ".jar");
    if (Files.isRegularFile(jar)) {
      return (system, architecture) -> binaryArchive(jar);
    }
    return DefaultPostgresBinaryResolver.INSTANCE;
  }

  private void runAsSuperuser(String... statements) {
    try (Connection c = superuser();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputStream binaryArchive(Path jar) throws IOException {
    ZipFile zip = new ZipFile(jar.toFile());
    var entry = zip.getEntry("postgres-linux-x86_64.txz");
    if (entry == null) {
      zip.close();
      throw new IOException(jar + " has no postgres-linux-x86_64.txz");
    }
    InputStream in = zip.getInputStream(entry);
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() throws IOException {
        super.close();
        zip.close();
      }
    };
  }

  private static Path findPgCtl(Path work) throws IOException {
    try (Stream<Path> candidates = Files.list(work)) {
      return candidates
          .map(dir -> dir.resolve("bin").resolve("pg_ctl"))
          .filter(Files::isExecutable)
          .findFirst()
          .orElseThrow(() -> new IOException("no pg_ctl under " + work));
    }
  }

  static String randomPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
