package io.appdb.operator.engine;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin connections the operator holds to one server: a HikariCP pool named after the
 * DatabaseServer, capped at {@code maxConnections}, that keeps no idle connection for long and
 * never blocks startup when the server is down. Given a Micrometer registry, HikariCP reports the
 * pool there itself ({@code hikaricp.connections.*}, tag {@code pool} = the DatabaseServer): how
 * long reconciles waited for an admin connection and how long they held one, which tells a platform
 * team whether {@code maxConnections} is what limits provisioning.
 */
public final class AdminPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminPool.class);
  private static final Duration MIN_HIKARI_TIMEOUT = Duration.ofMillis(250);

  /** Work done on a borrowed connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final HikariDataSource dataSource;

  /** The connection {@link #session} holds for the calling thread, if any. */
  private final ThreadLocal<Connection> pinned = new ThreadLocal<>();

  /**
   * @param driverProperties passed to the JDBC driver (timeouts etc.); user and password are taken
   *     from {@code server}
   * @param connectionInitSql run once on every new connection, or null
   */
  public AdminPool(
      ServerConnection server,
      String jdbcUrl,
      Properties driverProperties,
      String connectionInitSql) {
    this(server, jdbcUrl, driverProperties, connectionInitSql, null);
  }

  /**
   * @param meters where HikariCP reports the pool's connection metrics, or null for nowhere
   */
  public AdminPool(
      ServerConnection server,
      String jdbcUrl,
      Properties driverProperties,
      String connectionInitSql,
      MeterRegistry meters) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(server.serverName());
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(server.adminUser());
    config.setPassword(server.adminPassword());
    config.setDataSourceProperties(driverProperties);
    config.setMaximumPoolSize(Math.max(1, server.maxConnections()));
    config.setMinimumIdle(0);
    config.setIdleTimeout(Duration.ofSeconds(30).toMillis());
    Duration wait = max(server.timeout(), MIN_HIKARI_TIMEOUT);
    config.setConnectionTimeout(wait.toMillis());
    config.setValidationTimeout(wait.toMillis());
    // Lazy: an unreachable server must not fail or block construction; the first borrow reports it.
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(true);
    if (connectionInitSql != null) {
      config.setConnectionInitSql(connectionInitSql);
    }
    if (meters != null) {
      config.setMetricRegistry(meters);
    }
    this.dataSource = new HikariDataSource(config);
  }

  /**
   * Borrows a connection for {@code work} and returns it to the pool afterwards; inside a {@link
   * #session} on this thread, uses the session's connection instead.
   */
  public <T> T call(Work<T> work) throws SQLException {
    Connection held = pinned.get();
    if (held != null) {
      return work.run(held);
    }
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    }
  }

  /**
   * Runs {@code work} with one connection borrowed for all of it: every {@link #call} it makes on
   * this thread uses that connection. HikariCP hands a returned connection to a waiting thread,
   * which must then be scheduled; a run of several engine steps in one session pays that once
   * instead of once per step, which decides throughput when many AppDatabases share a server's one
   * or two admin connections. Nested sessions join the outer one.
   */
  public <T> T session(java.util.function.Supplier<T> work) throws SQLException {
    if (pinned.get() != null) {
      return work.get();
    }
    try (Connection connection = dataSource.getConnection()) {
      pinned.set(connection);
      try {
        return work.get();
      } finally {
        pinned.remove();
      }
    }
  }

  /** Runs one statement without results, logging it (redacted if sensitive) at DEBUG. */
  public static void execute(Connection connection, Sql sql) throws SQLException {
    LOG.debug("executing: {}", sql);
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql.text());
    }
  }

  /** Like {@link #execute} but returns the update count. */
  public static int executeUpdate(Connection connection, Sql sql) throws SQLException {
    LOG.debug("executing: {}", sql);
    try (Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql.text());
    }
  }

  public int openConnections() {
    var mx = dataSource.getHikariPoolMXBean();
    return mx == null ? 0 : mx.getTotalConnections();
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Whole seconds for drivers that take seconds, rounded up, at least one. */
  public static int seconds(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
  }

  /**
   * The socket read timeout: longer than the lock timeout so that a blocked statement fails with a
   * lock timeout first, and long enough for statements that hold no lock but legitimately take a
   * while (CREATE DATABASE copies a template and checkpoints).
   */
  public static Duration socketTimeout(Duration timeout) {
    return max(timeout.multipliedBy(3), Duration.ofSeconds(30));
  }

  /** Host as it goes into a JDBC URL: IPv6 literals in brackets. */
  public static String urlHost(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
