package io.appdb.operator.engine;

import io.appdb.operator.engine.mysql.MySqlEngine;
import io.appdb.operator.engine.postgresql.PostgresEngine;
import io.micrometer.core.instrument.MeterRegistry;

/** Picks the {@link DatabaseEngine} implementation for a server. */
public final class DatabaseEngines {

  private DatabaseEngines() {}

  /**
   * An engine for {@code server}. Opening connects to nothing: the admin pool is created lazily and
   * the first call reports an unreachable server.
   */
  public static DatabaseEngine open(ServerConnection server) {
    return open(server, null);
  }

  /**
   * @param meters where the engine's admin pool reports its connection metrics (see {@link
   *     AdminPool}), or null
   */
  public static DatabaseEngine open(ServerConnection server, MeterRegistry meters) {
    return switch (server.engine()) {
      case POSTGRESQL -> new PostgresEngine(server, meters);
      case MYSQL -> new MySqlEngine(server, meters);
    };
  }
}
