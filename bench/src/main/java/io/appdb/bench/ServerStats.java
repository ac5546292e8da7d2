package io.appdb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counters one database server keeps about the operator's sessions, read from the server's side so
 * that nothing the operator reports about itself is trusted. A poller samples the number of open
 * admin sessions to find the peak.
 */
abstract class ServerStats implements AutoCloseable {
  static final String ADMIN_USER = "appdb_admin";

  private final AtomicInteger peak = new AtomicInteger();
  private final Thread poller;
  private volatile boolean running = true;
  private final Path work;

  ServerStats(String name, Path work) {
    this.work = work;
    this.poller = new Thread(this::poll, "bench-poll-" + name);
    poller.setDaemon(true);
  }

  void startPolling() {
    poller.start();
  }

  abstract SqlSample sample();

  /** A superuser connection of the bench (its statements are not counted). */
  abstract Connection observer() throws SQLException;

  abstract String adminSessionsQuery();

  /** Whether a process of this server, found by its executable path under the work directory. */
  abstract boolean isServerProcess(String command);

  /** Highest number of admin sessions seen since the last reset. */
  int peakAdminConnections() {
    return peak.get();
  }

  void resetPeak() {
    peak.set(0);
  }

  private void poll() {
    while (running) {
      try (Connection c = observer();
          PreparedStatement ps = c.prepareStatement(adminSessionsQuery())) {
        ps.setString(1, ADMIN_USER);
        while (running) {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            peak.accumulateAndGet(rs.getInt(1), Math::max);
          }
          polled();
          Thread.sleep(50);
        }
      } catch (SQLException e) {
        Sleep.millis(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Called after each poll so that servers counting statements globally can subtract it. */
  void polled() {}

  /**
   * CPU time of every process of the server so far, from /proc: user + system, plus the time of
   * children already reaped (PostgreSQL's ended backends are charged to the postmaster), by the
   * role the process title names ({@link #role}).
   */
  java.util.Map<String, Long> serverCpuMillisByRole() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    List<ProcessHandle> processes =
        ProcessHandle.allProcesses()
            .filter(
                p ->
                    p.info()
                        .command()
                        .map(c -> c.startsWith(work.toString()) && isServerProcess(c))
                        .orElse(false))
            .toList();
    for (ProcessHandle p : processes) {
      try {
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        String stat = Files.readString(proc.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        // Fields 14-17 of stat (utime, stime, cutime, cstime) are 11-14 after the command.
        for (int i = 11; i <= 14; i++) {
          ticks += Long.parseLong(f[i]);
        }
        String title =
            new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ')
                .trim();
        out.merge(role(title), ticks * 10, Long::sum); // USER_HZ is 100 on Linux
      } catch (IOException | RuntimeException e) {
        // The process ended between listing and reading.
      }
    }
    return out;
  }

  /**
   * What a server process does, from its title: for PostgreSQL "postmaster" (with the backends that
   * ended, whose time it has reaped), "checkpointer", "admin sessions", "login checks" (backends of
   * the application accounts still open) and so on; for MariaDB the one server process.
   */
  abstract String role(String title);

  @Override
  public void close() {
    running = false;
    poller.interrupt();
  }
}
