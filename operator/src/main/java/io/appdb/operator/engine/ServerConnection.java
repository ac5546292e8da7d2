package io.appdb.operator.engine;

import io.appdb.operator.api.v1alpha1.Engine;
import java.time.Duration;

/**
 * Everything an engine needs to reach a server as the admin. {@code password} is never logged;
 * {@link #toString()} redacts it.
 *
 * @param serverName the DatabaseServer's name, used in pool names and metrics only
 * @param userHost MySQL only: host part of created accounts
 * @param maxConnections cap on pooled admin connections
 * @param timeout bound for connect, socket reads, and lock waits of every JDBC call
 */
public record ServerConnection(
    String serverName,
    Engine engine,
    String host,
    int port,
    String adminUser,
    String adminPassword,
    String userHost,
    int maxConnections,
    Duration timeout) {

  @Override
  public String toString() {
    return "ServerConnection["
        + serverName
        + " "
        + engine.value()
        + "://"
        + adminUser
        + "@"
        + host
        + ":"
        + port
        + " max="
        + maxConnections
        + "]";
  }
}
