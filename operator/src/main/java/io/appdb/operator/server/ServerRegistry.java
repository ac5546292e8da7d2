package io.appdb.operator.server;

import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DatabaseServerSpec;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.ServerConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link DatabaseEngine} (and so one capped admin pool) per DatabaseServer, shared by both
 * controllers. An engine is replaced when anything it was built from changes: the server's
 * connection fields or the admin credentials. Replacing closes the old pool, so a rotated admin
 * password never lingers in an open connection.
 */
public final class ServerRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerRegistry.class);

  private record Entry(ServerConnection connection, DatabaseEngine engine) {}

  private final Map<String, Entry> engines = new ConcurrentHashMap<>();
  private final Function<ServerConnection, DatabaseEngine> factory;
  private final Duration sqlTimeout;

  public ServerRegistry(Function<ServerConnection, DatabaseEngine> factory, Duration sqlTimeout) {
    this.factory = Objects.requireNonNull(factory);
    this.sqlTimeout = Objects.requireNonNull(sqlTimeout);
  }

  /** The engine for {@code server} with {@code credentials}, created or replaced as needed. */
  public DatabaseEngine engineFor(DatabaseServer server, AdminCredentials credentials) {
    ServerConnection wanted = connectionFor(server, credentials);
    String name = server.getMetadata().getName();
    Entry entry =
        engines.compute(
            name,
            (key, current) -> {
              if (current != null && current.connection().equals(wanted)) {
                return current;
              }
              if (current != null) {
                log.info("Server {}: connection settings changed, replacing its admin pool", key);
                current.engine().close();
              }
              return new Entry(wanted, factory.apply(wanted));
            });
    return entry.engine();
  }

  /** The engine last built for a server, if any. */
  public Optional<DatabaseEngine> existing(String serverName) {
    return Optional.ofNullable(engines.get(serverName)).map(Entry::engine);
  }

  /** Closes and forgets the engine of a server that was deleted. */
  public void remove(String serverName) {
    Entry removed = engines.remove(serverName);
    if (removed != null) {
      removed.engine().close();
    }
  }

  public Map<String, DatabaseEngine> all() {
    Map<String, DatabaseEngine> copy = new java.util.TreeMap<>();
    engines.forEach((k, v) -> copy.put(k, v.engine()));
    return copy;
  }

  @Override
  public void close() {
    engines.keySet().forEach(this::remove);
  }

  private ServerConnection connectionFor(DatabaseServer server, AdminCredentials credentials) {
    DatabaseServerSpec spec = server.getSpec();
    return new ServerConnection(
        server.getMetadata().getName(),
        spec.getEngine(),
        spec.getHost(),
        spec.effectivePort(),
        credentials.username(),
        credentials.password(),
        spec.effectiveUserHost(),
        spec.effectiveMaxConnections(),
        sqlTimeout);
  }
}
