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
    Map<String, Long> serverCpuMillisByRole) {

  SqlSample minus(SqlSample before) {
    return new SqlSample(
        adminStatements - before.adminStatements,
        appStatements - before.appStatements,
        adminConnections - before.adminConnections,
        appConnections - before.appConnections,
        diff(kinds, before.kinds),
        diff(serverCpuMillisByRole, before.serverCpuMillisByRole));
  }

  /**
   * Non-zero differences by key, over the keys of both. A key only in {@code before} (a process
   * role whose processes all ended, their time reaped into the postmaster's) comes out negative, so
   * that the sum over keys is the difference of the sums.
   */
  private static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> out = new TreeMap<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(after.keySet());
    keys.addAll(before.keySet());
    for (String key : keys) {
      long d = after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
      if (d != 0) {
        out.put(key, d);
      }
    }
    return out;
  }

  long serverCpuMillis() {
    return serverCpuMillisByRole.values().stream().mapToLong(Long::longValue).sum();
  }

  long statements() {
    return adminStatements + appStatements;
  }

  long connections() {
    return adminConnections + appConnections;
  }
}
