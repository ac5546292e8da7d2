package io.appdb.operator.engine;

import io.appdb.operator.engine.mysql.MySqlEngine;
import io.appdb.operator.engine.postgresql.PostgresEngine;

/** Picks the {@link DatabaseEngine} implementation for a server. */
public final class DatabaseEngines {

  private DatabaseEngines() {}

  /**
   * An engine for {@code server}. Opening connects to nothing: the admin pool is created lazily and
   * the first call reports an unreachable server.
   */
  public static DatabaseEngine open(ServerConnection server) {
    return switch (server.engine()) {
      case POSTGRESQL -> new PostgresEngine(server);
      case MYSQL -> new MySqlEngine(server);
    };
  }
}
