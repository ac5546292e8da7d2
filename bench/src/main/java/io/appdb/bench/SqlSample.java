package io.appdb.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one database server has seen so far, cumulative: statements and new connections of the
 * operator's admin account and of the application accounts (the login checks), statements by kind,
 * and the CPU time of the server's processes.
 */
record SqlSample(
    long adminStatements,
    long appStatements,
    long adminConnections,
    long appConnections,
    Map<String, Long> kinds,
    long serverCpuMillis) {

  SqlSample minus(SqlSample before) {
    Map<String, Long> k = new TreeMap<>();
    kinds.forEach(
        (key, v) -> {
          long d = v - before.kinds.getOrDefault(key, 0L);
          if (d != 0) {
            k.put(key, d);
          }
        });
    return new SqlSample(
        adminStatements - before.adminStatements,
        appStatements - before.appStatements,
        adminConnections - before.adminConnections,
        appConnections - before.appConnections,
        k,
        serverCpuMillis - before.serverCpuMillis);
  }

  long statements() {
    return adminStatements + appStatements;
  }

  long connections() {
    return adminConnections + appConnections;
  }
}
