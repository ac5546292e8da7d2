package io.appdb.bench;

import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.postgresql.SaltedPasswordMemo;
import io.appdb.operator.reconciler.ProvisioningSteps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Takes a consistent set of readings from every meter; phases are differences of two of them. */
final class Meters {
  record Snapshot(
      long nanos,
      Map<String, Long> api,
      CpuMeter.Sample cpu,
      SqlSample pg,
      SqlSample mariadb,
      Map<String, Long> steps,
      Map<String, double[]> pools,
      long[] memory) {}

  /**
   * What happened between two snapshots. {@code memory}: page faults of the whole machine and KiB
   * of free memory handed back to the hypervisor ({@link PageReporting}); -1 where unknown.
   */
  record Delta(
      double seconds,
      Map<String, Long> api,
      CpuMeter.Usage cpu,
      SqlSample pg,
      SqlSample mariadb,
      Map<String, Long> steps,
      Map<String, double[]> pools,
      long[] memory) {

    /**
     * HikariCP's timer {@code metric} ("usage": connections held, "acquire": waits for one) of the
     * admin pool {@code pool}: {count, total milliseconds}.
     */
    double[] pool(String pool, String metric) {
      return pools.getOrDefault(pool + "|" + metric, new double[2]);
    }

    SqlSample sql(Engine engine) {
      return engine == Engine.POSTGRESQL ? pg : mariadb;
    }

    /** JOSDK's count of {@code what} ("reconciles" started, "events" received), all controllers. */
    long josdk(String what) {
      return steps.getOrDefault("josdk|" + what, 0L);
    }

    /**
     * SCRAM's PBKDF2 in the whole JVM ({@link SaltedPasswordMemo}): "derived" by the JDK, or
     * "reused" by a login check from its role's verifier.
     */
    long pbkdf2(String what) {
      return steps.getOrDefault("pbkdf2|" + what, 0L);
    }

    long steps(ProvisioningSteps.Step step, Engine engine) {
      return steps.getOrDefault(step + "|" + engine.value(), 0L);
    }

    /** Every provisioning step seen on {@code engine}'s AppDatabases, by step. */
    Map<String, Long> stepsOf(Engine engine) {
      Map<String, Long> out = new TreeMap<>();
      String suffix = "|" + engine.value();
      steps.forEach(
          (k, v) -> {
            if (k.endsWith(suffix) && v != 0) {
              out.put(k.substring(0, k.length() - suffix.length()), v);
            }
          });
      return out;
    }

    /** Requests of {@code actor}, reads ("R") or writes ("W"), by kind. */
    Map<String, Long> api(String actor, String readOrWrite) {
      Map<String, Long> out = new TreeMap<>();
      String prefix = actor + "|" + readOrWrite + "|";
      api.forEach(
          (k, v) -> {
            if (k.startsWith(prefix) && v != 0) {
              out.put(k.substring(prefix.length()), v);
            }
          });
      return out;
    }

    /** Connections the mock API server accepted, from every client. */
    long apiConnections() {
      return api.getOrDefault(ApiRecorder.CONNECTIONS, 0L);
    }

    long apiTotal(String actor, String readOrWrite) {
      return api(actor, readOrWrite).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final BenchEnvironment env;
  private final Map<String, LongAdder> steps = new ConcurrentHashMap<>();

  /**
   * Given to every operator the bench starts, so that JOSDK's own counters (reconciles started,
   * events received) span restarts.
   */
  final MeterRegistry registry = new SimpleMeterRegistry();

  /** Prefix of HikariCP's meters; its timers "usage" (connection held) and "acquire" (wait). */
  private static final String POOL_METRIC = "hikaricp.connections.";

  /**
   * HikariCP timers of admin pools already closed (the limit closes its engines after each burst).
   */
  private final Map<String, double[]> closedPools = new ConcurrentHashMap<>();

  Meters(BenchEnvironment env) {
    this.env = env;
    registry
        .config()
        .onMeterRemoved(
            meter -> {
              if (meter instanceof Timer timer && isPoolTimer(timer)) {
                closedPools.merge(poolKey(timer), reading(timer), Meters::add);
              }
            });
  }

  private static boolean isPoolTimer(Timer timer) {
    String name = timer.getId().getName();
    return name.equals(POOL_METRIC + "usage") || name.equals(POOL_METRIC + "acquire");
  }

  private static String poolKey(Timer timer) {
    return timer.getId().getTag("pool")
        + "|"
        + timer.getId().getName().substring(POOL_METRIC.length());
  }

  private static double[] reading(Timer timer) {
    return new double[] {timer.count(), timer.totalTime(TimeUnit.MILLISECONDS)};
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1]};
  }

  /** Every admin pool's HikariCP timers, those of closed pools included. */
  Map<String, double[]> pools() {
    Map<String, double[]> out = new TreeMap<>(closedPools);
    for (io.micrometer.core.instrument.Meter meter : registry.getMeters()) {
      if (meter instanceof Timer timer && isPoolTimer(timer)) {
        out.merge(poolKey(timer), reading(timer), Meters::add);
      }
    }
    return out;
  }

  /**
   * Counts the operator's provisioning steps by engine: a CLAIM step starts every provisioning
   * reconcile, DROP every deletion. Observing them is the only change to the operator's defaults.
   */
  ProvisioningSteps.Listener stepListener() {
    return (step, owner) -> {
      StepTrace.step(step, owner);
      steps
          .computeIfAbsent(step + "|" + Fleet.engineOf(owner).value(), k -> new LongAdder())
          .increment();
    };
  }

  long steps(ProvisioningSteps.Step step) {
    return steps.entrySet().stream()
        .filter(e -> e.getKey().startsWith(step + "|"))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  Snapshot take() {
    // Let the request drain catch up with what was sent.
    Sleep.millis(300);
    Map<String, Long> s = new TreeMap<>();
    steps.forEach((k, v) -> s.put(k, v.sum()));
    s.put("josdk|reconciles", josdkCount("operator.sdk.reconciliations.started"));
    s.put("josdk|events", josdkCount("operator.sdk.events.received"));
    s.put("pbkdf2|derived", SaltedPasswordMemo.derivedCount());
    s.put("pbkdf2|reused", SaltedPasswordMemo.reusedCount());
    return new Snapshot(
        System.nanoTime(),
        env.requests.snapshot(),
        env.cpu.sample(),
        env.pgStats.sample(),
        env.mariadbStats.sample(),
        s,
        pools(),
        new long[] {PageReporting.pageFaults(), PageReporting.reportedKib()});
  }

  /** The sum of JOSDK's counters of that name over every controller and resource. */
  private long josdkCount(String name) {
    return Math.round(registry.find(name).counters().stream().mapToDouble(Counter::count).sum());
  }

  static Delta between(Snapshot a, Snapshot b) {
    return new Delta(
        (b.nanos() - a.nanos()) / 1e9,
        diff(a.api(), b.api()),
        CpuMeter.between(a.cpu(), b.cpu()),
        b.pg().minus(a.pg()),
        b.mariadb().minus(a.mariadb()),
        diff(a.steps(), b.steps()),
        diffPools(a.pools(), b.pools()),
        diff(a.memory(), b.memory()));
  }

  private static long[] diff(long[] a, long[] b) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] < 0 || b[i] < 0 ? -1 : b[i] - a[i];
    }
    return out;
  }

  private static Map<String, double[]> diffPools(Map<String, double[]> a, Map<String, double[]> b) {
    Map<String, double[]> out = new TreeMap<>();
    b.forEach(
        (k, v) -> {
          double[] before = a.getOrDefault(k, new double[2]);
          out.put(k, new double[] {v[0] - before[0], v[1] - before[1]});
        });
    return out;
  }

  private static Map<String, Long> diff(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new TreeMap<>();
    b.forEach((k, v) -> out.put(k, v - a.getOrDefault(k, 0L)));
    return out;
  }
}
