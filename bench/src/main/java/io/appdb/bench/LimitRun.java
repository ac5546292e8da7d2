package io.appdb.bench;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.Binding;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DatabaseServerSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.DatabaseEngines;
import io.appdb.operator.engine.ServerConnection;
import io.appdb.operator.reconciler.Plan;
import io.appdb.operator.reconciler.Planner;
import io.appdb.operator.reconciler.Provisioner;
import io.appdb.operator.reconciler.ServerLookup;
import io.appdb.operator.secret.ConnectionDetails;
import io.appdb.operator.secret.ConnectionSecretRenderer;
import io.appdb.operator.secret.PasswordGenerator;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Outcome;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit: what provisioning N AppDatabases costs with no operator at all. The app teams' side is
 * the operator's ({@link Users}: the same submitters create and delete every AppDatabase, and the
 * same {@link Tracker} watch sees each become Ready or disappear). In place of the operator,
 * workers (a fixed number per engine) take each AppDatabase as soon as its create returned and run
 * the same SQL sequence the operator runs ({@link Provisioner}, on an engine with the same admin
 * pool cap), plus the fewest API writes the job needs: create the Secret and patch the status. The
 * user's create already carries the finalizer, so no write adds it. On deletion: the same
 * deprovisioning SQL and one patch removing the finalizer.
 */
final class LimitRun {
  static final String FINALIZER = io.appdb.operator.reconciler.AppDatabaseReconciler.FINALIZER;

  private final BenchEnvironment env;
  private final Users users;
  private final int threadsPerEngine;
  private final Duration sqlTimeout;
  private final Provisioner provisioner = new Provisioner(StepTrace::step);

  private final MeterRegistry meters;

  LimitRun(BenchEnvironment env, int threadsPerEngine, Duration sqlTimeout, MeterRegistry meters) {
    this.env = env;
    this.meters = meters;
    this.users = new Users(env);
    this.threadsPerEngine = threadsPerEngine;
    this.sqlTimeout = sqlTimeout;
  }

  /**
   * Creates the fleet and provisions each AppDatabase; returns, when every worker is done, the
   * seconds the users took to submit the creates. The tracker's {@code submitted} and {@code ready}
   * stamps are the result, as for the operator.
   */
  double create(Fleet fleet, Map<Integer, Provisioner.Target> targets, Tracker tracker) {
    Map<Engine, DatabaseServer> servers = servers();
    Planner planner = new Planner(lookup(servers));
    try (Workers workers = new Workers(servers)) {
      long start = System.nanoTime();
      users.createAll(
          fleet,
          tracker.submitted,
          FINALIZER,
          (item, adb) ->
              workers.submit(
                  item,
                  engine -> {
                    Plan plan = planner.plan(adb);
                    provisioner.provision(engine, plan.target(), () -> writeSecret(adb, plan));
                    adb.setStatus(readyStatus(adb, plan));
                    env.limit.resource(adb).patchStatus();
                    synchronized (targets) {
                      targets.put(item.index(), plan.target());
                    }
                  }));
      double submitted = (System.nanoTime() - start) / 1e9;
      workers.awaitAll();
      return submitted;
    }
  }

  /**
   * Deletes the fleet and deprovisions each AppDatabase; returns the seconds the users took to
   * submit the deletes. The tracker's stamps are the result.
   */
  double delete(Fleet fleet, Map<Integer, Provisioner.Target> targets, Tracker tracker) {
    try (Workers workers = new Workers(servers())) {
      long start = System.nanoTime();
      users.deleteAll(
          fleet,
          tracker.deleteSubmitted,
          item ->
              workers.submit(
                  item,
                  engine -> {
                    provisioner.deprovision(engine, targets.get(item.index()));
                    env.limit
                        .resources(AppDatabase.class)
                        .inNamespace(item.namespace())
                        .withName(item.name())
                        .patch(
                            PatchContext.of(PatchType.JSON),
                            "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
                  }));
      double submitted = (System.nanoTime() - start) / 1e9;
      workers.awaitAll();
      return submitted;
    }
  }

  /** The Secrets the limit created; in a cluster the garbage collector removes them. */
  void removeSecrets(Fleet fleet) {
    for (String ns : fleet.namespaces()) {
      env.bench.secrets().inNamespace(ns).delete();
    }
  }

  private interface Work {
    void run(DatabaseEngine engine) throws Exception;
  }

  /** One engine and a fixed pool of worker threads per server. */
  private final class Workers implements AutoCloseable {
    private final Map<Engine, DatabaseEngine> engines = new EnumMap<>(Engine.class);
    private final Map<Engine, ExecutorService> pools = new EnumMap<>(Engine.class);
    private final List<Future<?>> futures = new ArrayList<>();

    Workers(Map<Engine, DatabaseServer> servers) {
      for (Engine e : Engine.values()) {
        engines.put(e, DatabaseEngines.open(connection(e, servers.get(e)), meters));
        AtomicInteger n = new AtomicInteger();
        pools.put(
            e,
            Executors.newFixedThreadPool(
                threadsPerEngine,
                r -> new Thread(r, "limit-" + e.value() + "-" + n.incrementAndGet())));
      }
    }

    void submit(Fleet.Item item, Work work) {
      DatabaseEngine engine = engines.get(item.engine());
      Future<?> f =
          pools
              .get(item.engine())
              .submit(
                  () -> {
                    work.run(engine);
                    return null;
                  });
      synchronized (futures) {
        futures.add(f);
      }
    }

    /** Called once every item was submitted. */
    void awaitAll() {
      List<Future<?>> all;
      synchronized (futures) {
        all = List.copyOf(futures);
      }
      try {
        for (Future<?> f : all) {
          f.get();
        }
      } catch (Exception e) {
        throw new IllegalStateException("limit run failed", e);
      }
    }

    @Override
    public void close() {
      pools.values().forEach(ExecutorService::shutdownNow);
      engines.values().forEach(DatabaseEngine::close);
    }
  }

  private Provisioner.SecretState writeSecret(AppDatabase adb, Plan plan) {
    String password = PasswordGenerator.generate();
    DatabaseServerSpec server = plan.server().getSpec();
    ConnectionDetails details =
        new ConnectionDetails(
            plan.engine(),
            server.getHost(),
            server.effectivePort(),
            plan.databaseName(),
            plan.username(),
            password,
            server.getUrlParameters());
    Secret secret = ConnectionSecretRenderer.render(adb, plan.secretName(), details);
    env.limit.secrets().inNamespace(adb.getMetadata().getNamespace()).resource(secret).create();
    return new Provisioner.SecretState(password, true, true);
  }

  private static AppDatabaseStatus readyStatus(AppDatabase adb, Plan plan) {
    long generation = Optional.ofNullable(adb.getMetadata().getGeneration()).orElse(0L);
    AppDatabaseStatus status = new AppDatabaseStatus();
    status.setObservedGeneration(generation);
    status.setConditions(
        Conditions.apply(
            List.of(),
            Outcome.ready(Reasons.PROVISIONED, "provisioned"),
            generation,
            Instant.now()));
    status.setServer(plan.serverName());
    status.setEngine(plan.engine());
    status.setDatabaseName(plan.databaseName());
    status.setUsername(plan.username());
    status.setBinding(new Binding(plan.secretName()));
    return status;
  }

  private Map<Engine, DatabaseServer> servers() {
    Map<Engine, DatabaseServer> servers = new EnumMap<>(Engine.class);
    for (Engine e : Engine.values()) {
      servers.put(e, env.server(e));
    }
    return servers;
  }

  private static ServerLookup lookup(Map<Engine, DatabaseServer> servers) {
    return new ServerLookup() {
      @Override
      public Optional<DatabaseServer> server(String name) {
        return servers.values().stream()
            .filter(s -> s.getMetadata().getName().equals(name))
            .findFirst();
      }

      @Override
      public List<DatabaseServer> servers() {
        return List.copyOf(servers.values());
      }

      @Override
      public Map<String, String> namespaceLabels(String namespace) {
        return Map.of();
      }
    };
  }

  /** The name of the limit's admin pool on {@code engine}'s server, as its meters are tagged. */
  static String poolName(Engine engine) {
    return engine == Engine.POSTGRESQL ? "limit-postgresql" : "limit-mariadb";
  }

  /** The same admin account and pool cap as the operator's engine for this server. */
  private ServerConnection connection(Engine engine, DatabaseServer server) {
    int cap = server.getSpec().effectiveMaxConnections();
    return engine == Engine.POSTGRESQL
        ? new ServerConnection(
            poolName(engine),
            engine,
            PostgresServer.HOST,
            env.pg.port(),
            env.pg.adminUser(),
            env.pg.adminPassword(),
            null,
            cap,
            sqlTimeout)
        : new ServerConnection(
            poolName(engine),
            engine,
            MariaDbServer.HOST,
            env.mariadb.port(),
            env.mariadb.adminUser(),
            env.mariadb.adminPassword(),
            server.getSpec().effectiveUserHost(),
            cap,
            sqlTimeout);
  }
}
