package io.appdb.bench;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.reconciler.Provisioner;
import io.appdb.operator.reconciler.ProvisioningSteps.Step;
import io.appdb.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: warm-up of both paths, then the limit (create N, delete N), the operator
 * (create N, heap, restart, steady state, delete N) and the limit again, on the same servers.
 * Returns the report as plain maps.
 */
final class Bench {
  /** The operator's default SQL timeout (DESIGN §5), also used by the limit's engines. */
  private static final Duration SQL_TIMEOUT = OperatorRuntime.Options.defaults().sqlTimeout();

  /**
   * Warm-up bursts per path. JFR showed C2 still compiling per-AppDatabase methods (the reconciler,
   * JOSDK's event processor, the HTTP client) for the first time during a measured burst that
   * followed one warm-up burst of 1000; a second one moves most of that out of the measurement. A
   * third does not pay for its minute and a half: with three (2026-12-06, JFR recording
   * compilations only) C2 still compiled or recompiled JOSDK's, fabric8's and the JDBC drivers'
   * per-AppDatabase methods in the measured window (100-300 ms each), and the JIT's CPU per created
   * AppDatabase stayed where it was with two (2.05 ms against 2.04-2.15). Both paths' rounds run
   * before the first measured window (see {@link #run}).
   */
  static final int WARM_UP_ROUNDS = 2;

  /** ext4's 60 seconds (see {@link #settleFiles}) and a margin. */
  static final Duration FILES_SETTLE = Duration.ofSeconds(65);

  static final int FILES_SETTLE_MIN_COUNT = 100;

  /** The report's key of the limit's windows after the operator's, and before them. */
  static final String LIMIT = "limit";

  static final String LIMIT_BEFORE = "limitBefore";

  /**
   * With {@code --limit-windows 3} (the default), one more limit window before {@link
   * #LIMIT_BEFORE}: reported with its own ratio, but not in the ratios, which are against the two
   * windows beside the operator's. It came from a question: in the A-B-A order the limit's MariaDB
   * half ran faster after the operator than before it in 8 of 9 runs on the EPYC guest (median +16
   * %). In the four runs with this window (EC1-EC4, twenty-third session) the first window was the
   * slow one, not the operator's phases: MariaDB 56-67 creates/s in the first window against 79-107
   * in the second, with more MariaDB server CPU per create (6.3-8.0 ms against 4.5-6.3), longer
   * connection holds (26-32 ms against 16-22) and more JIT (3.3-4.7 ms per create against 1.1-2.6),
   * while the window after the operator was faster than the second in two runs and slower in two.
   * So the run's first measured window is slow, not the one after the other path. The operator's
   * measured window has an unmeasured round of its own path before it ({@link #runOperator}), and
   * this window gives the limit the same.
   */
  static final String LIMIT_EARLY = "limitEarly";

  /** The limit's windows in the order they run (those a run does not measure are absent). */
  static final List<String> LIMIT_WINDOWS = List.of(LIMIT_EARLY, LIMIT_BEFORE, LIMIT);

  private final BenchOptions options;
  private final BenchEnvironment env;
  private final Meters meters;
  private final Users users;
  private final Map<String, Object> report = new LinkedHashMap<>();
  private OperatorRuntime runtime;

  /** When the last burst of deletions ended ({@link System#nanoTime}); 0 before the first. */
  private long lastFilesDeleted;

  /** What the last {@link #settleMemory} waited for; reported with the burst that follows. */
  private Map<String, Object> lastSettle = Map.of();

  private KubernetesClient operatorClient;

  Bench(BenchOptions options, BenchEnvironment env) {
    this.options = options;
    this.env = env;
    this.meters = new Meters(env);
    this.users = new Users(env);
  }

  Map<String, Object> run() {
    report.put("run", runInfo());
    report.put("machine", Machine.describe());

    LimitRun limit = new LimitRun(env, options.limitThreads(), SQL_TIMEOUT, meters.registry);
    for (int round = 1; options.effectiveWarmUp() > 0 && round <= WARM_UP_ROUNDS; round++) {
      warmUpLimit(limit, round);
    }

    // A-B-A: the limit, the operator, the limit again, and the ratios against the mean of the two
    // limit windows. One limit window after the operator (the order until the tenth session)
    // compared windows minutes apart on a machine whose speed drifts: in run F19 (2026-12-06), with
    // the order swapped, the limit used 35.6 ms of PostgreSQL server CPU per create against
    // 26.2-29.1 when measured second (F13-F18), and its PostgreSQL ratio was 1.07 against
    // 0.77-0.89. Both paths are warmed up before the first measured window: in the first A-B-A
    // runs (G1-G4, eleventh session), with only the limit warmed up before it, the limit's first
    // window had 2.5-3.3 ms of JIT per create against 1.8-2.3 in its second, C2 still compiling
    // the code both paths share (Connector/J, fabric8, the Provisioner), and its MariaDB half ran
    // at 107-132 creates per second against 120-158. Both limit windows are in the report, so that
    // their difference shows how far two windows of the same code differ in one run.
    // With three windows (the default) the first is the limit's counterpart of the operator's
    // "rewarm" round: see LIMIT_EARLY.
    if (options.limitWindows() >= 2) {
      warmUpOperatorPath();
      if (options.limitWindows() == 3) {
        runLimit(limit, LIMIT_EARLY);
      }
      runLimit(limit, LIMIT_BEFORE);
      runOperator(false);
    } else {
      runOperator(true);
    }
    runLimit(limit, LIMIT);

    report.put("ratio", ratios(report));
    report.put("ratioByWindow", ratiosByWindow(report));
    report.put("notes", Comparability.notes(report));
    return report;
  }

  /**
   * The operator's warm-up rounds, with an operator that is stopped afterwards: in the A-B-A order
   * the operator must not run during the limit's first window (it would reconcile the limit's
   * AppDatabases), but the JIT should have compiled both paths before any measured window.
   */
  private void warmUpOperatorPath() {
    startOperator(OperatorRuntime.Options.defaults().resyncInterval());
    awaitServersReady();
    for (int round = 1; options.effectiveWarmUp() > 0 && round <= WARM_UP_ROUNDS; round++) {
      warmUpOperator("warmop" + round, options.effectiveWarmUp());
    }
    env.requests.awaitOperatorQuiet(2000, 30_000);
    stopOperator();
  }

  /**
   * The operator's measured part. With {@code fullWarmUp} false the JIT has compiled its paths
   * already ({@link #warmUpOperatorPath}), and one round brings the new instance to where a running
   * operator is after a burst. It is as large as a warm-up round because the idle heap reading
   * depends on what the instance went through: 3.3 MB after a round of 100 (runs H1 and H2,
   * eleventh session), 4.2 MB after one of 1000 (I1, I2), 6.0-6.4 MB after two (every earlier run);
   * the heap per AppDatabase at N = 1000 read 7757-7981, 7151-7280 and 5220-6770 bytes.
   */
  private void runOperator(boolean fullWarmUp) {
    Map<String, Object> operator = new LinkedHashMap<>();
    report.put("operator", operator);
    long heapNoOperator = Heap.usedAfterGc();
    // Creation runs with the production resync interval: a short one would put resyncs of the
    // first AppDatabases inside the creation window and bill them to creation.
    startOperator(OperatorRuntime.Options.defaults().resyncInterval());
    awaitServersReady();
    if (fullWarmUp) {
      for (int round = 1; options.effectiveWarmUp() > 0 && round <= WARM_UP_ROUNDS; round++) {
        warmUpOperator("warmop" + round, options.effectiveWarmUp());
      }
    } else if (options.effectiveWarmUp() > 0) {
      warmUpOperator("rewarm", options.effectiveWarmUp());
    }
    env.requests.awaitOperatorQuiet(2000, 30_000);
    long heapIdleOperator = Heap.usedAfterGc();

    Fleet fleet = new Fleet("team", options.count(), options.postgresShare());
    fleet.namespaces().forEach(env::namespace);
    try (Tracker tracker = new Tracker(env, fleet)) {
      settleServers();
      operator.put("create", operatorCreate(fleet, tracker));
      operator.put("heap", heap(fleet, heapNoOperator, heapIdleOperator));
      // The restart brings the short resync interval of the steady-state phase.
      operator.put("restart", operatorRestart(fleet));
      if (options.steadyResyncs() > 0) {
        operator.put("steady", operatorSteady(fleet));
      }
      settleServers();
      operator.put("delete", operatorDelete(fleet, tracker));
      filesDeleted();
    }
    stopOperator();
    cleanUp(env, fleet);
  }

  private void runLimit(LimitRun limit, String key) {
    Map<String, Object> limitReport = new LinkedHashMap<>();
    report.put(key, limitReport);
    Fleet limitFleet =
        new Fleet(key.toLowerCase(java.util.Locale.ROOT), options.count(), options.postgresShare());
    Map<Integer, Provisioner.Target> targets = new HashMap<>();
    try (Tracker tracker = new Tracker(env, limitFleet)) {
      log("%s: create %d", key, options.count());
      settleServers();
      limitReport.put(
          "create",
          limitPhase(
              limitFleet,
              () -> limit.create(limitFleet, targets, tracker),
              tracker.submitted,
              tracker.ready,
              key,
              "Ready"));
      log("%s: delete %d", key, options.count());
      settleServers();
      limitReport.put(
          "delete",
          limitPhase(
              limitFleet,
              () -> limit.delete(limitFleet, targets, tracker),
              tracker.deleteSubmitted,
              tracker.gone,
              key,
              "deleted"));
      filesDeleted();
    }
    limit.removeSecrets(limitFleet);
  }

  // ---- operator phases ------------------------------------------------------------------------

  private Map<String, Object> operatorCreate(Fleet fleet, Tracker tracker) {
    log("operator: create %d AppDatabases at once", fleet.items.size());
    return operatorBurst(
        fleet,
        () -> createAll(fleet, tracker.submitted),
        tracker.submitted,
        tracker.ready,
        "Ready");
  }

  /**
   * One burst measured as a whole: {@code submit} sends every request, then the phase lasts until
   * each item's {@code done} stamp is set and the operator has gone quiet.
   */
  private Map<String, Object> operatorBurst(
      Fleet fleet,
      Runnable submit,
      java.util.concurrent.atomic.AtomicLongArray sent,
      java.util.concurrent.atomic.AtomicLongArray done,
      String what) {
    // Marks the measured span for tools beside the bench (scripts/cpu_profile.py).
    log("  window open");
    Meters.Snapshot before = meters.take();
    resetPeaks();
    long start = System.nanoTime();
    StepTrace.start(start);
    submit.run();
    double submitSeconds = (System.nanoTime() - start) / 1e9;
    log("  all %d submitted in %.2f s", fleet.items.size(), submitSeconds);
    boolean all = Tracker.awaitAll(done, timeoutMillis(fleet), what);
    StepTrace.dump("operator-" + what, start, fleet, sent, done);
    Map<Engine, Integer> peaks = peaks();
    env.requests.awaitOperatorQuiet(2000, 60_000);
    Meters.Snapshot after = meters.take();
    log("  window closed");
    Map<String, Object> out = Figures.burst(fleet, start, sent, done);
    out.put("submitSeconds", Math.round(submitSeconds * 1000) / 1000.0);
    out.put(allDoneKey(what), all);
    out.put("settledBefore", lastSettle);
    out.put(
        "cost",
        Figures.cost(
            Meters.between(before, after), "operator", units(fleet), peaks, counts(fleet)));
    return out;
  }

  private Map<String, Object> operatorSteady(Fleet fleet) {
    long window = options.resync().toMillis() * options.steadyResyncs() + 2000;
    // One unmeasured interval first: the DatabaseServers' resync after the restart brings their
    // status.databases count up to date, a real change that belongs to the restart.
    log("operator: settling for one resync interval (%s)", options.resync());
    Sleep.millis(options.resync().toMillis());
    env.requests.awaitOperatorQuiet(2000, 60_000);
    log("operator: steady state for %d s (resync every %s)", window / 1000, options.resync());
    Meters.Snapshot before = meters.take();
    resetPeaks();
    Sleep.millis(window);
    Map<Engine, Integer> peaks = peaks();
    Meters.Snapshot after = meters.take();
    Meters.Delta d = Meters.between(before, after);
    Map<Engine, Long> reconciles = new EnumMap<>(Engine.class);
    for (Engine e : Figures.ENGINES) {
      // A resync either verifies from the server's catalog snapshot or runs the full checks.
      reconciles.put(e, d.steps(Step.CLAIM, e) + d.steps(Step.VERIFY, e));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("unit", "one AppDatabase reconciled by a resync");
    out.put("resyncSeconds", options.resync().toSeconds());
    long total = reconciles.values().stream().mapToLong(Long::longValue).sum();
    out.put("reconciles", total);
    out.put("resyncsObserved", Figures.round((double) total / fleet.items.size()));
    out.put("apiWrites", d.apiTotal("operator", "W"));
    out.put("cost", Figures.cost(d, "operator", reconciles, peaks, counts(fleet)));
    return out;
  }

  /**
   * Heap retained by the operator: used heap after GC with the operator running, minus the same
   * with the operator stopped (the mock API server's copy of every object stays in both), for N
   * AppDatabases and for none.
   */
  private Map<String, Object> heap(Fleet fleet, long noOperator, long idleOperator) {
    log("operator: heap after GC");
    long running = Heap.usedAfterGc();
    stopOperator();
    long stopped = Heap.usedAfterGc();
    long operatorIdle = idleOperator - noOperator;
    long operatorN = running - stopped;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("operatorWithNoAppDatabasesBytes", operatorIdle);
    out.put("operatorWithAllAppDatabasesBytes", operatorN);
    out.put(
        "bytesPerAppDatabase",
        Math.round((double) (operatorN - operatorIdle) / fleet.items.size()));
    out.put("processHeapUsedAfterGcBytes", running);
    log(
        "operator: heap after GC %d bytes per AppDatabase (%d with %d AppDatabases, %d with none)",
        out.get("bytesPerAppDatabase"), operatorN, fleet.items.size(), operatorIdle);
    return out;
  }

  /** The operator starts again with N AppDatabases in place: re-verifies all, writes nothing. */
  private Map<String, Object> operatorRestart(Fleet fleet) {
    log("operator: restart with %d AppDatabases in place", fleet.items.size());
    Meters.Snapshot before = meters.take();
    resetPeaks();
    long claimsBefore = reconciled();
    long start = System.nanoTime();
    startOperator(options.resync());
    long deadline = System.nanoTime() + timeoutMillis(fleet) * 1_000_000L;
    while (reconciled() - claimsBefore < fleet.items.size() && System.nanoTime() < deadline) {
      Sleep.millis(50);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<Engine, Integer> peaks = peaks();
    env.requests.awaitOperatorQuiet(2000, 60_000);
    Meters.Snapshot after = meters.take();
    Meters.Delta d = Meters.between(before, after);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("secondsUntilAllReconciled", Figures.round(seconds));
    out.put("apiWrites", d.apiTotal("operator", "W"));
    out.put("cost", Figures.cost(d, "operator", units(fleet), peaks, counts(fleet)));
    return out;
  }

  private Map<String, Object> operatorDelete(Fleet fleet, Tracker tracker) {
    log("operator: delete %d AppDatabases at once (deletionPolicy: Delete)", fleet.items.size());
    return operatorBurst(
        fleet,
        () -> deleteAll(fleet, tracker.deleteSubmitted),
        tracker.deleteSubmitted,
        tracker.gone,
        "deleted");
  }

  /** One unmeasured round of the limit's path: a fleet created and deleted. */
  private void warmUpLimit(LimitRun limit, int round) {
    log("warm-up %d: limit sequence on %d AppDatabases", round, options.effectiveWarmUp());
    Fleet warm = new Fleet("warm" + round, options.effectiveWarmUp(), options.postgresShare());
    Map<Integer, Provisioner.Target> warmTargets = new HashMap<>();
    try (Tracker tracker = new Tracker(env, warm)) {
      limit.create(warm, warmTargets, tracker);
      Tracker.awaitAll(tracker.ready, timeoutMillis(warm), "Ready (limit warm-up)");
      limit.delete(warm, warmTargets, tracker);
      Tracker.awaitAll(tracker.gone, timeoutMillis(warm), "deleted (limit warm-up)");
    }
    filesDeleted();
    limit.removeSecrets(warm);
  }

  /**
   * A running operator has its code compiled long since: a few AppDatabases are created and deleted
   * first, unmeasured, so that JIT compilation of the operator's paths is not billed to the
   * measured ones (the limit's paths are warmed the same way).
   */
  private void warmUpOperator(String name, int count) {
    log("warm-up %s: operator creates and deletes %d AppDatabases", name, count);
    Fleet warm = new Fleet(name, count, options.postgresShare());
    operatorRound(env, users, warm, timeoutMillis(warm), "warm-up");
    filesDeleted();
  }

  /**
   * One unmeasured round through a running operator: every AppDatabase of {@code fleet} created,
   * Ready, deleted and gone, then what the mock API server leaves behind removed. Also used by
   * {@link ChurnCheck}.
   */
  static void operatorRound(
      BenchEnvironment env, Users users, Fleet fleet, long timeoutMillis, String what) {
    fleet.namespaces().forEach(env::namespace);
    try (Tracker tracker = new Tracker(env, fleet)) {
      users.createAll(fleet, tracker.submitted, null, (item, adb) -> {});
      Tracker.awaitAll(tracker.ready, timeoutMillis, "Ready (" + what + ")");
      users.deleteAll(fleet, tracker.deleteSubmitted, item -> {});
      Tracker.awaitAll(tracker.gone, timeoutMillis, "deleted (" + what + ")");
    }
    cleanUp(env, fleet);
  }

  /** "allReady", "allDeleted": whether every item got there before the timeout. */
  private static String allDoneKey(String what) {
    return "all" + what.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + what.substring(1);
  }

  // ---- limit ----------------------------------------------------------------------------------

  /**
   * One burst of the limit, measured as the operator's are: from the first request sent until the
   * tracker has seen every item {@code done}.
   */
  private Map<String, Object> limitPhase(
      Fleet fleet,
      java.util.function.DoubleSupplier work,
      java.util.concurrent.atomic.AtomicLongArray sent,
      java.util.concurrent.atomic.AtomicLongArray done,
      String key,
      String what) {
    // Marks the measured span for tools beside the bench (scripts/cpu_profile.py).
    log("  window open");
    Meters.Snapshot before = meters.take();
    resetPeaks();
    long start = System.nanoTime();
    StepTrace.start(start);
    double submitSeconds = work.getAsDouble();
    log("  all %d submitted in %.2f s", fleet.items.size(), submitSeconds);
    boolean all = Tracker.awaitAll(done, timeoutMillis(fleet), what + " (" + key + ")");
    StepTrace.dump(key + "-" + what, start, fleet, sent, done);
    Map<Engine, Integer> peaks = peaks();
    Meters.Snapshot after = meters.take();
    log("  window closed");
    Map<String, Object> out = Figures.burst(fleet, start, sent, done);
    out.put("submitSeconds", Math.round(submitSeconds * 1000) / 1000.0);
    out.put(allDoneKey(what), all);
    out.put("settledBefore", lastSettle);
    out.put(
        "cost",
        Figures.cost(Meters.between(before, after), "limit", units(fleet), peaks, counts(fleet)));
    return out;
  }

  /**
   * Operator / limit throughput per phase and engine: both sides handle the same number of
   * AppDatabases per engine, so the ratio is the limit's time until all were done over the
   * operator's. With two limit windows the limit's time is the mean of the two, which makes the
   * ratio the mean of the two windows' own ratios ({@code ratioByWindow}).
   */
  static Map<String, Object> ratios(Map<String, Object> report) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String phase : List.of("create", "delete")) {
      Map<String, Object> byEngine = new LinkedHashMap<>();
      Map<String, Object> opEngines = engines(report, "operator", phase);
      for (String engine : opEngines.keySet()) {
        double limitSeconds = 0;
        int windows = 0;
        for (String side : List.of(LIMIT_BEFORE, LIMIT)) {
          Map<String, Object> lim = engines(report, side, phase);
          if (lim != null) {
            limitSeconds += seconds(lim, engine);
            windows++;
          }
        }
        byEngine.put(engine, ratio(limitSeconds / windows, seconds(opEngines, engine)));
      }
      out.put(phase, byEngine);
    }
    return out;
  }

  /**
   * Each limit window's own ratio: {@code {limitBefore: {create: {engine: r}}, limit: ...}}, and
   * {@code limitEarly} when it was measured.
   */
  static Map<String, Object> ratiosByWindow(Map<String, Object> report) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String side : LIMIT_WINDOWS) {
      if (!report.containsKey(side)) {
        continue;
      }
      Map<String, Object> phases = new LinkedHashMap<>();
      for (String phase : List.of("create", "delete")) {
        Map<String, Object> byEngine = new LinkedHashMap<>();
        Map<String, Object> opEngines = engines(report, "operator", phase);
        for (String engine : opEngines.keySet()) {
          double limitSeconds = seconds(engines(report, side, phase), engine);
          byEngine.put(engine, ratio(limitSeconds, seconds(opEngines, engine)));
        }
        phases.put(phase, byEngine);
      }
      out.put(side, phases);
    }
    return out;
  }

  private static double ratio(double limitSeconds, double operatorSeconds) {
    return operatorSeconds == 0 ? 0 : Figures.round(limitSeconds / operatorSeconds);
  }

  @SuppressWarnings("unchecked")
  private static double seconds(Map<String, Object> engines, String engine) {
    return ((Number) ((Map<String, Object>) engines.get(engine)).get("seconds")).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> engines(
      Map<String, Object> report, String side, String phase) {
    Map<String, Object> s = (Map<String, Object>) report.get(side);
    if (s == null) {
      return null;
    }
    return (Map<String, Object>) ((Map<String, Object>) s.get(phase)).get("engines");
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private void startOperator(Duration resync) {
    operatorClient = env.operatorClient();
    runtime =
        OperatorRuntime.start(
            operatorClient,
            OperatorRuntime.Options.defaults()
                .withResyncInterval(resync)
                .withMeterRegistry(meters.registry)
                .withSteps(meters.stepListener()));
  }

  private void stopOperator() {
    if (runtime != null) {
      runtime.close();
      runtime = null;
      operatorClient.close();
      operatorClient = null;
    }
  }

  private void awaitServersReady() {
    long deadline = System.nanoTime() + 120_000_000_000L;
    for (Engine e : Figures.ENGINES) {
      while (true) {
        DatabaseServer s = env.server(e);
        if (s.getStatus() != null && Conditions.isTrue(s.getStatus().getConditions(), "Ready")) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "DatabaseServer " + BenchEnvironment.serverName(e) + " is not Ready");
        }
        Sleep.millis(100);
      }
    }
  }

  /** Creates every AppDatabase of {@code fleet}, stamping when each was sent. */
  private void createAll(Fleet fleet, java.util.concurrent.atomic.AtomicLongArray sent) {
    users.createAll(fleet, sent, null, (item, adb) -> {});
  }

  /** Deletes every AppDatabase of {@code fleet}, stamping when each was sent. */
  private void deleteAll(Fleet fleet, java.util.concurrent.atomic.AtomicLongArray sent) {
    users.deleteAll(fleet, sent, item -> {});
  }

  private static void cleanUp(BenchEnvironment env, Fleet fleet) {
    // A real API server garbage-collects the Secrets with their owners; the mock does not.
    for (String ns : fleet.namespaces()) {
      env.bench.secrets().inNamespace(ns).delete();
      env.bench.v1().events().inNamespace(ns).delete();
    }
  }

  /** Reconciles that reached the server: full checks (CLAIM) or snapshot-verified (VERIFY). */
  private long reconciled() {
    return meters.steps(Step.CLAIM) + meters.steps(Step.VERIFY);
  }

  /**
   * Before each measured burst, on PostgreSQL: a VACUUM of the shared catalogs that CREATE and DROP
   * DATABASE/ROLE churn, and a CHECKPOINT. In two runs the PostgreSQL server spent 48 and 97 ms of
   * CPU per create in the operator's window (36-41 otherwise, the limit's included, with the same
   * statements); the likeliest cause is the autovacuum and checkpoint that the thousands of
   * databases created and dropped before leave due at a random point. Whatever is due is now done
   * before each window, for the operator and the limit alike.
   */
  private void settleServers() {
    settleFiles();
    try (java.sql.Connection c = env.pg.superuser();
        java.sql.Statement s = c.createStatement()) {
      s.execute(
          "VACUUM pg_catalog.pg_database, pg_catalog.pg_authid, pg_catalog.pg_auth_members,"
              + " pg_catalog.pg_shdepend");
      s.execute("CHECKPOINT");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("settling PostgreSQL before a measured burst", e);
    }
    settleMemory();
  }

  /**
   * First, before a burst that follows mass deletions, a wait until the file system has let go of
   * the deleted files' inodes. ext4 without a journal (this machine's root file system) does not
   * reuse an inode deleted less than 60 seconds ago, or 360 while its inode table block is still
   * dirty: every file creation steps over each such inode in its group, one buffer lookup each.
   * After a burst of DROP DATABASE (about 300 files each on PostgreSQL) the next burst of CREATE
   * DATABASE spent much of its kernel time there. {@code perf} at 199 Hz in run F17 (2026-12-06,
   * tenth session) found PostgreSQL's backends under {@code __ext4_new_inode -> find_inode_bit ->
   * recently_deleted} for about 966 samples (4.8 s of CPU, 9.7 ms per PostgreSQL create) in the
   * operator's create window, against 69-95 in the other five windows of F15-F17, and the server
   * used 40.7 ms of CPU per create against the limit's 26.6: the "slow mode" of the sessions
   * before. A {@code sync} writes the inode tables back, and the wait lets the 60 seconds pass.
   * Skipped below {@link #FILES_SETTLE_MIN_COUNT} AppDatabases, whose few deleted files do not
   * matter.
   */
  private void settleFiles() {
    if (lastFilesDeleted == 0 || options.count() < FILES_SETTLE_MIN_COUNT) {
      return;
    }
    long start = System.nanoTime();
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (java.io.IOException e) {
      log("  sync failed (%s); waiting anyway", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    long waitMillis = FILES_SETTLE.toMillis() - (System.nanoTime() - lastFilesDeleted) / 1_000_000;
    if (waitMillis > 0) {
      Sleep.millis(waitMillis);
    }
    log(
        "  settled: files deleted %.0f s ago (waited %.1f s)",
        (System.nanoTime() - lastFilesDeleted) / 1e9, (System.nanoTime() - start) / 1e9);
  }

  private void filesDeleted() {
    lastFilesDeleted = System.nanoTime();
  }

  /**
   * Last, before each measured burst, a wait until the VM has stopped handing free memory back to
   * the hypervisor ({@link PageReporting}). In run F12 (2026-12-06, tenth session, before this
   * wait) 1.6 GB went back during the first ten seconds of the operator's create window, freed by
   * the warm-up's deletions and the heap readings just before it, and 16 MB during the limit's.
   * With the wait, 0-24 MB went back during a create window (F15-F21). The wait and the hand-back
   * in each window are in the report, so that a reader can see whether a window paid for it.
   */
  private void settleMemory() {
    long start = System.nanoTime();
    long kib = PageReporting.awaitQuiet();
    double seconds = (System.nanoTime() - start) / 1e9;
    lastSettle = new LinkedHashMap<>();
    lastSettle.put("handedBackMiB", kib / 1024);
    lastSettle.put("waitSeconds", Math.round(seconds * 10) / 10.0);
    log("  settled: %d MB handed back to the hypervisor in %.1f s", kib / 1024, seconds);
  }

  private void resetPeaks() {
    env.pgStats.resetPeak();
    env.mariadbStats.resetPeak();
  }

  private Map<Engine, Integer> peaks() {
    Map<Engine, Integer> out = new EnumMap<>(Engine.class);
    out.put(Engine.POSTGRESQL, env.pgStats.peakAdminConnections());
    out.put(Engine.MYSQL, env.mariadbStats.peakAdminConnections());
    return out;
  }

  private static Map<Engine, Long> units(Fleet fleet) {
    Map<Engine, Long> out = new EnumMap<>(Engine.class);
    for (Engine e : Figures.ENGINES) {
      out.put(e, (long) fleet.count(e));
    }
    return out;
  }

  private static Map<Engine, Integer> counts(Fleet fleet) {
    Map<Engine, Integer> out = new EnumMap<>(Engine.class);
    for (Engine e : Figures.ENGINES) {
      out.put(e, fleet.count(e));
    }
    return out;
  }

  private static long timeoutMillis(Fleet fleet) {
    return 120_000L + fleet.items.size() * 500L;
  }

  private Map<String, Object> runInfo() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("date", java.time.Instant.now().toString());
    out.put("appDatabases", options.count());
    out.put("postgresql", options.postgresCount());
    out.put("mariadb", options.count() - options.postgresCount());
    out.put("resyncSeconds", options.resync().toSeconds());
    out.put("steadyResyncs", options.steadyResyncs());
    out.put("limitThreadsPerEngine", options.limitThreads());
    out.put("warmUp", options.effectiveWarmUp());
    out.put("warmUpRounds", WARM_UP_ROUNDS);
    out.put(
        "filesSettleSeconds",
        options.count() >= FILES_SETTLE_MIN_COUNT ? FILES_SETTLE.toSeconds() : 0);
    out.put("limitWindows", options.limitWindows());
    out.put("mock", options.mock().name().toLowerCase(java.util.Locale.ROOT));
    out.put(
        "order",
        switch (options.limitWindows()) {
          case 3 ->
              "warm-up of both paths; limit (early); limit; operator (after one more warm-up"
                  + " round); limit";
          case 2 -> "warm-up of both paths; limit; operator (after one more warm-up round); limit";
          default -> "warm-up of the limit; operator (after its warm-up); limit";
        });
    out.put(
        "adminMaxConnections", env.server(Engine.POSTGRESQL).getSpec().effectiveMaxConnections());
    out.put("postgresqlVersion", env.pg.version());
    out.put("mariadbVersion", env.mariadb.version());
    out.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return out;
  }

  static void log(String format, Object... args) {
    System.out.printf("bench: " + format + "%n", args);
  }
}
