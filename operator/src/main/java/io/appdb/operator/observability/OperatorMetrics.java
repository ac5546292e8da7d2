package io.appdb.operator.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The operator's own meters, next to the ones JOSDK's Micrometer integration records.
 *
 * <p>Prometheus names: {@code appdb_sql_statement_seconds} and {@code appdb_sql_errors_total} (tags
 * {@code server}, {@code operation}), {@code appdb_admin_connections_in_use} (tag {@code server})
 * and {@code appdb_appdatabases} (tag {@code condition}).
 *
 * <p>The AppDatabase count is kept as one map entry per resource and summed only when scraped, so a
 * reconcile pays for a map put and nothing else, and a resource counted twice or never forgotten
 * cannot skew the gauge the way increment/decrement bookkeeping can.
 */
public final class OperatorMetrics {

  static final String SQL_TIMER = "appdb.sql.statement";
  static final String SQL_ERRORS = "appdb.sql.errors";
  static final String ADMIN_CONNECTIONS = "appdb.admin.connections.in.use";
  static final String APPDATABASES = "appdb.appdatabases";

  /** The kstatus summary of one AppDatabase; each resource is counted under exactly one. */
  public enum AppDatabaseState {
    READY("Ready"),
    RECONCILING("Reconciling"),
    STALLED("Stalled");

    private final String conditionType;

    AppDatabaseState(String conditionType) {
      this.conditionType = conditionType;
    }

    public String conditionType() {
      return conditionType;
    }
  }

  private record SqlKey(String server, String operation) {}

  private record SqlMeters(Timer timer, Counter errors) {}

  private final MeterRegistry registry;
  private final Map<SqlKey, SqlMeters> sqlMeters = new ConcurrentHashMap<>();
  private final Map<String, Gauge> adminConnections = new ConcurrentHashMap<>();
  private final Map<String, AppDatabaseState> appDatabases = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (AppDatabaseState state : AppDatabaseState.values()) {
      // Registered up front so each series exists (at 0) before the first AppDatabase shows up.
      Gauge.builder(APPDATABASES, appDatabases, m -> count(m, state))
          .description("AppDatabases by their current kstatus condition")
          .tag("condition", state.conditionType())
          .register(registry);
    }
  }

  /**
   * Records one SQL statement against a server. {@code operation} must come from a small fixed set
   * (the engine method name, e.g. {@code claimDatabase}), never from user input: every distinct
   * value becomes a new time series.
   */
  public void recordSql(String server, String operation, Duration duration, boolean error) {
    SqlMeters meters = sqlMeters.computeIfAbsent(new SqlKey(server, operation), this::newSqlMeters);
    meters.timer().record(duration);
    if (error) {
      meters.errors().increment();
    }
  }

  private SqlMeters newSqlMeters(SqlKey key) {
    Timer timer =
        Timer.builder(SQL_TIMER)
            .description("Time spent in SQL statements the operator ran as admin")
            .tag("server", key.server())
            .tag("operation", key.operation())
            .register(registry);
    // Created with the timer so that rate() over the counter starts from 0, not from absent.
    Counter errors =
        Counter.builder(SQL_ERRORS)
            .description("SQL statements that failed")
            .tag("server", key.server())
            .tag("operation", key.operation())
            .register(registry);
    return new SqlMeters(timer, errors);
  }

  /**
   * Publishes the admin connections in use for a server, read from {@code inUse} at scrape time.
   * Registering a server again replaces its supplier (a DatabaseServer whose pool was rebuilt).
   */
  public void registerAdminConnections(String server, IntSupplier inUse) {
    Objects.requireNonNull(inUse, "inUse");
    adminConnections.compute(
        server,
        (name, previous) -> {
          if (previous != null) {
            registry.remove(previous);
          }
          return Gauge.builder(ADMIN_CONNECTIONS, inUse, IntSupplier::getAsInt)
              .description("Admin connections to the server that are checked out of the pool")
              .tag("server", name)
              // Gauges hold their object weakly by default; a lambda would be collected and
              // the series would read NaN.
              .strongReference(true)
              .register(registry);
        });
  }

  /**
   * Forgets a server that is gone: its connection gauge and its SQL timers and error counters, so a
   * deleted DatabaseServer does not leave series behind.
   */
  public void unregister(String server) {
    Gauge gauge = adminConnections.remove(server);
    if (gauge != null) {
      registry.remove(gauge);
    }
    sqlMeters
        .entrySet()
        .removeIf(
            entry -> {
              if (!entry.getKey().server().equals(server)) {
                return false;
              }
              remove(entry.getValue().timer());
              remove(entry.getValue().errors());
              return true;
            });
  }

  /** Records the current state of one AppDatabase; call on every status write. */
  public void recordAppDatabase(String namespace, String name, AppDatabaseState state) {
    appDatabases.put(key(namespace, name), Objects.requireNonNull(state, "state"));
  }

  /** Drops an AppDatabase from the counts; call when it is deleted. */
  public void forgetAppDatabase(String namespace, String name) {
    appDatabases.remove(key(namespace, name));
  }

  private void remove(Meter meter) {
    registry.remove(meter);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static double count(Map<String, AppDatabaseState> states, AppDatabaseState wanted) {
    return states.values().stream().filter(wanted::equals).count();
  }
}
