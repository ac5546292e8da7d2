package io.appdb.bench;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.reconciler.ProvisioningSteps.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** Turns stamps and meter deltas into the figures of the report (plain maps, JSON-ready). */
final class Figures {
  private Figures() {}

  static final List<Engine> ENGINES = List.of(Engine.POSTGRESQL, Engine.MYSQL);

  static String label(Engine e) {
    return e == Engine.POSTGRESQL ? "postgresql" : "mariadb";
  }

  /**
   * Throughput and latency of a burst: every item was submitted at {@code submitted[i]} (or at
   * {@code start} when null) and finished at {@code done[i]}.
   */
  static Map<String, Object> burst(
      Fleet fleet, long start, AtomicLongArray submitted, AtomicLongArray done) {
    Map<String, Object> out = new LinkedHashMap<>();
    long last = 0;
    for (int i = 0; i < done.length(); i++) {
      last = Math.max(last, done.get(i));
    }
    double all = (last - start) / 1e9;
    out.put("count", fleet.items.size());
    out.put("seconds", round(all));
    out.put("perSecond", round(fleet.items.size() / all));
    out.put("latencyMs", latencies(fleet, null, submitted, done, start));
    Map<String, Object> engines = new LinkedHashMap<>();
    for (Engine e : ENGINES) {
      int n = fleet.count(e);
      if (n == 0) {
        continue;
      }
      long lastE = 0;
      for (Fleet.Item item : fleet.items) {
        if (item.engine() == e) {
          lastE = Math.max(lastE, done.get(item.index()));
        }
      }
      double secs = (lastE - start) / 1e9;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", n);
      m.put("seconds", round(secs));
      m.put("perSecond", round(n / secs));
      m.put("latencyMs", latencies(fleet, e, submitted, done, start));
      engines.put(label(e), m);
    }
    out.put("engines", engines);
    return out;
  }

  private static Map<String, Object> latencies(
      Fleet fleet, Engine engine, AtomicLongArray submitted, AtomicLongArray done, long start) {
    List<Long> ms = new ArrayList<>();
    for (Fleet.Item item : fleet.items) {
      if (engine == null || item.engine() == engine) {
        long from = submitted == null ? start : submitted.get(item.index());
        ms.add((done.get(item.index()) - from) / 1_000_000);
      }
    }
    long[] sorted = ms.stream().mapToLong(Long::longValue).sorted().toArray();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("p50", percentile(sorted, 50));
    out.put("p95", percentile(sorted, 95));
    out.put("p99", percentile(sorted, 99));
    out.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    return out;
  }

  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  /**
   * Cost of a phase, per unit: API requests of {@code actor}, SQL and server CPU per engine, JVM
   * CPU. {@code units} is what the figures are divided by per engine (AppDatabases, or reconciles
   * in steady state); {@code total} is the sum over engines.
   */
  static Map<String, Object> cost(
      Meters.Delta d,
      String actor,
      Map<Engine, Long> units,
      Map<Engine, Integer> peakAdmin,
      Map<Engine, Integer> fleetCount) {
    long total = units.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("windowSeconds", round(d.seconds()));
    Map<String, Object> api = new LinkedHashMap<>();
    api.put("readsPerUnit", per(d.apiTotal(actor, "R"), total));
    api.put("writesPerUnit", per(d.apiTotal(actor, "W"), total));
    api.put("writesByKindPerUnit", perEach(d.api(actor, "W"), total));
    api.put("readsByKind", d.api(actor, "R"));
    // Not the actor's alone: every client's, the users' and their watch included.
    api.put("serverConnectionsPerUnit", per(d.apiConnections(), total));
    api.put("writesByKind", d.api(actor, "W"));
    out.put("api", api);
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("operatorMsPerUnit", per(d.cpu().operator(), total));
    cpu.put("operatorThreadsMsPerUnit", per(d.cpu().operatorThreads(), total));
    // JOSDK's reconciler pool is "pool-#-thread-#", the HTTP client's calls "OkHttp".
    cpu.put("operatorThreadsMsPerUnitByGroup", perEach(d.cpu().operatorByGroup(), total));
    cpu.put("processMsPerUnit", per(d.cpu().process(), total));
    cpu.put("mockApiMsPerUnit", per(d.cpu().mockApi(), total));
    cpu.put("benchMsPerUnit", per(d.cpu().bench(), total));
    cpu.put("jvmOtherMsPerUnit", per(d.cpu().jvm(), total));
    cpu.put("jitMsPerUnit", per(d.cpu().jit(), total));
    cpu.put("gcMsPerUnit", per(d.cpu().gc(), total));
    // SCRAM's PBKDF2 (about 1 ms each): computed, or reused by a login check from its verifier.
    cpu.put("pbkdf2DerivedPerUnit", per(d.pbkdf2("derived"), total));
    cpu.put("pbkdf2ReusedPerUnit", per(d.pbkdf2("reused"), total));
    // Every process on the machine, the database servers included; the cores busy over the window
    // show how close the machine came to being the limit.
    cpu.put("machineMsPerUnit", per(d.cpu().machine(), total));
    cpu.put("machineCoresBusy", round(d.cpu().machine() / (d.seconds() * 1000)));
    cpu.put("stealMsPerUnit", per(d.cpu().steal(), total));
    cpu.put("operatorMs", d.cpu().operator());
    cpu.put("processMs", d.cpu().process());
    out.put("cpu", cpu);
    // The machine's memory: page faults of every process, and free memory the VM handed back to
    // the hypervisor during the window, which the next allocations must fault in again.
    Map<String, Object> memory = new LinkedHashMap<>();
    if (d.memory()[0] >= 0) {
      memory.put("machinePageFaultsPerUnit", per(d.memory()[0], total));
    }
    if (d.memory()[1] >= 0) {
      memory.put("handedBackMiB", d.memory()[1] / 1024);
    }
    out.put("memory", memory);
    // Every reconcile JOSDK started, of both controllers, including those that found nothing to do
    // or waited for a server slot; and every event its sources received.
    out.put("josdkReconcilesPerUnit", per(d.josdk("reconciles"), total));
    out.put("josdkEventsPerUnit", per(d.josdk("events"), total));
    Map<String, Object> sql = new LinkedHashMap<>();
    for (Engine e : ENGINES) {
      long n = units.getOrDefault(e, 0L);
      if (fleetCount.getOrDefault(e, 0) == 0) {
        continue;
      }
      SqlSample s = d.sql(e);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("units", n);
      m.put("statementsPerUnit", per(s.statements(), n));
      m.put("adminStatementsPerUnit", per(s.adminStatements(), n));
      m.put("loginCheckStatementsPerUnit", per(s.appStatements(), n));
      m.put("newAdminConnectionsPerUnit", per(s.adminConnections(), n));
      m.put("newLoginConnectionsPerUnit", per(s.appConnections(), n));
      m.put("newAdminConnections", s.adminConnections());
      m.put("peakAdminConnections", peakAdmin.getOrDefault(e, 0));
      // HikariCP's own timers of the admin pool (PostgreSQL's per-database connections, outside
      // the pool, are not in them): how long each AppDatabase held an admin connection, and how
      // long a borrow waited for one.
      double[] held = d.pool(poolName(actor, e), "usage");
      double[] waited = d.pool(poolName(actor, e), "acquire");
      m.put("adminConnectionHeldMsPerUnit", n == 0 ? 0 : round(held[1] / n));
      m.put("adminBorrowsPerUnit", n == 0 ? 0 : round(held[0] / n));
      m.put("adminWaitMsPerBorrow", waited[0] == 0 ? 0 : round(waited[1] / waited[0]));
      m.put("serverCpuMsPerUnit", per(s.serverCpuMillis(), n));
      m.put("serverCpuMsPerUnitByProcess", perEach(s.serverCpuMillisByRole(), n));
      m.put("statementsByKindPerUnit", perEach(s.kinds(), n));
      m.put("claimSteps", d.steps(Step.CLAIM, e));
      m.put("verifiedFromSnapshot", d.steps(Step.VERIFY, e));
      m.put("dropSteps", d.steps(Step.DROP, e));
      // RESYNC counts reconciles answered without a new provisioning run (in a create burst, the
      // ones that the operator's own writes trigger right after provisioning).
      m.put("stepsPerUnit", perEach(d.stepsOf(e), n));
      sql.put(label(e), m);
    }
    out.put("sql", sql);
    return out;
  }

  /** The admin pool of {@code actor} ("operator" or "limit") on {@code engine}'s server. */
  static String poolName(String actor, Engine engine) {
    return actor.equals("limit") ? LimitRun.poolName(engine) : BenchEnvironment.serverName(engine);
  }

  static Map<String, Object> perEach(Map<String, Long> counts, long n) {
    Map<String, Object> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, per(v, n)));
    return out;
  }

  static double per(long value, long n) {
    return n == 0 ? 0 : round((double) value / n);
  }

  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return 0;
    }
    return Math.round(v * 1000) / 1000.0;
  }
}
