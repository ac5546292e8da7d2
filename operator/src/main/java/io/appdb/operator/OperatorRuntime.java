package io.appdb.operator;

import io.appdb.operator.engine.DatabaseEngines;
import io.appdb.operator.observability.InstrumentedEngine;
import io.appdb.operator.observability.OperatorMetrics;
import io.appdb.operator.reconciler.AppDatabaseReconciler;
import io.appdb.operator.reconciler.Bindings;
import io.appdb.operator.reconciler.DatabaseServerReconciler;
import io.appdb.operator.reconciler.EventRecorder;
import io.appdb.operator.reconciler.ProvisioningSteps;
import io.appdb.operator.server.ServerRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;

/**
 * The operator, assembled: both controllers, their shared server registry, and JOSDK configured for
 * any API server (JSON patches instead of server-side apply, which the test mock lacks). The
 * production {@code main}, the tests, the playground and the benchmark all start the operator
 * through this class, so they run the same code.
 */
public final class OperatorRuntime implements AutoCloseable {

  /** How to run; {@link #defaults()} matches the production defaults of DESIGN §5. */
  public record Options(
      Set<String> watchNamespaces,
      Duration resyncInterval,
      Duration sqlTimeout,
      LeaderElectionConfiguration leaderElection,
      String operatorNamespace,
      MeterRegistry meterRegistry,
      ProvisioningSteps.Listener steps) {

    public static Options defaults() {
      return new Options(
          Set.of(),
          Duration.ofMinutes(10),
          Duration.ofSeconds(10),
          null,
          null,
          new SimpleMeterRegistry(),
          ProvisioningSteps.NONE);
    }

    public Options withResyncInterval(Duration interval) {
      return new Options(
          watchNamespaces,
          interval,
          sqlTimeout,
          leaderElection,
          operatorNamespace,
          meterRegistry,
          steps);
    }

    public Options withSqlTimeout(Duration timeout) {
      return new Options(
          watchNamespaces,
          resyncInterval,
          timeout,
          leaderElection,
          operatorNamespace,
          meterRegistry,
          steps);
    }

    public Options withWatchNamespaces(Set<String> namespaces) {
      return new Options(
          namespaces,
          resyncInterval,
          sqlTimeout,
          leaderElection,
          operatorNamespace,
          meterRegistry,
          steps);
    }

    /** Enables leader election with the default timings and a Lease in {@code namespace}. */
    public Options withLeaseNamespace(String namespace) {
      return withLeaderElection(
          namespace == null ? null : new LeaderElectionConfiguration(LEASE_NAME, namespace));
    }

    /** Leader election as configured; null disables it. */
    public Options withLeaderElection(LeaderElectionConfiguration config) {
      return new Options(
          watchNamespaces,
          resyncInterval,
          sqlTimeout,
          config,
          operatorNamespace,
          meterRegistry,
          steps);
    }

    /**
     * The operator's own namespace. When only some namespaces are watched, admin Secrets are
     * watched for changes there (and in the watched namespaces), so no cluster-wide Secret access
     * is needed.
     */
    public Options withOperatorNamespace(String namespace) {
      return new Options(
          watchNamespaces,
          resyncInterval,
          sqlTimeout,
          leaderElection,
          namespace,
          meterRegistry,
          steps);
    }

    public Options withMeterRegistry(MeterRegistry registry) {
      return new Options(
          watchNamespaces,
          resyncInterval,
          sqlTimeout,
          leaderElection,
          operatorNamespace,
          registry,
          steps);
    }

    /** A hook before each provisioning step; tests use it to inject crashes. */
    public Options withSteps(ProvisioningSteps.Listener listener) {
      return new Options(
          watchNamespaces,
          resyncInterval,
          sqlTimeout,
          leaderElection,
          operatorNamespace,
          meterRegistry,
          listener);
    }

    /** Namespaces where admin Secrets are watched; empty means all. */
    Set<String> adminSecretNamespaces() {
      if (watchNamespaces.isEmpty()) {
        return Set.of();
      }
      Set<String> namespaces = new java.util.TreeSet<>(watchNamespaces);
      if (operatorNamespace != null) {
        namespaces.add(operatorNamespace);
      }
      return namespaces;
    }
  }

  public static final String LEASE_NAME = "appdb-operator-leader";

  private final Operator operator;
  private final ServerRegistry registry;

  private OperatorRuntime(Operator operator, ServerRegistry registry) {
    this.operator = operator;
    this.registry = registry;
  }

  /** Builds and starts the operator against {@code client}. */
  public static OperatorRuntime start(KubernetesClient client, Options options) {
    OperatorMetrics metrics = new OperatorMetrics(options.meterRegistry());
    ServerRegistry registry =
        new ServerRegistry(
            c ->
                InstrumentedEngine.wrap(
                    DatabaseEngines.open(c, options.meterRegistry()), c.serverName(), metrics),
            options.sqlTimeout());
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withCloseClientOnStop(false)
                  .withResourceCloner(new ResourceCloner(client.getKubernetesSerialization()));
              o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(options.meterRegistry()));
              if (options.leaderElection() != null) {
                o.withLeaderElectionConfiguration(options.leaderElection());
              }
            });
    EventRecorder events = new EventRecorder(client);
    Bindings bindings = new Bindings();
    operator.register(
        new DatabaseServerReconciler(
            client, registry, events, bindings, options.adminSecretNamespaces()),
        o -> configure(o, Set.of(), options));
    operator.register(
        new AppDatabaseReconciler(
            client, registry, events, bindings, metrics, options.steps(), options.resyncInterval()),
        o -> configure(o, options.watchNamespaces(), options));
    operator.start();
    return new OperatorRuntime(operator, registry);
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void configure(
      ControllerConfigurationOverrider<R> o, Set<String> namespaces, Options options) {
    o.withReconciliationMaxInterval(options.resyncInterval())
        // Transient failures (server down, credentials being rotated) retry forever with
        // backoff capped at five minutes, so that everything heals without a restart.
        .withRetry(
            new GenericRetry()
                .setInitialInterval(Duration.ofSeconds(1))
                .setIntervalMultiplier(2)
                .setMaxInterval(Duration.ofMinutes(5).toMillis())
                .withoutMaxAttempts());
    if (namespaces.isEmpty()) {
      o.watchingAllNamespaces();
    } else {
      o.settingNamespaces(namespaces);
    }
  }

  public Operator operator() {
    return operator;
  }

  public ServerRegistry registry() {
    return registry;
  }

  public boolean healthy() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
    registry.close();
  }
}
