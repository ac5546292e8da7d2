package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DatabaseServerStatus;
import io.appdb.operator.api.v1alpha1.SecretReference;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.ServerProbe;
import io.appdb.operator.server.AdminSecrets;
import io.appdb.operator.server.ServerRegistry;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Outcome;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a DatabaseServer: admin Secret, connection, admin privileges; reports Ready, the server
 * version and how many AppDatabases use it. Re-checks when a watched admin Secret changes.
 */
@ControllerConfiguration(name = DatabaseServerReconciler.NAME)
public class DatabaseServerReconciler
    implements Reconciler<DatabaseServer>, Cleaner<DatabaseServer> {
  public static final String NAME = "databaseserver";
  private static final Logger log = LoggerFactory.getLogger(DatabaseServerReconciler.class);
  private static final String ADMIN_SECRET_INDEX = "by-admin-secret";

  private final ServerRegistry registry;
  private final AdminSecrets adminSecrets;
  private final EventRecorder events;
  private final Bindings bindings;
  private final Set<String> adminSecretNamespaces;
  private final Clock clock;

  /**
   * @param adminSecretNamespaces where labelled admin Secrets are watched; empty means every
   *     namespace (needs cluster-wide Secret access, which namespaced installs do not grant)
   */
  public DatabaseServerReconciler(
      KubernetesClient client,
      ServerRegistry registry,
      EventRecorder events,
      Bindings bindings,
      Set<String> adminSecretNamespaces) {
    this.adminSecretNamespaces = adminSecretNamespaces;
    this.clock = Clock.systemUTC();
    this.registry = registry;
    this.adminSecrets = new AdminSecrets(client);
    this.events = events;
    this.bindings = bindings;
  }

  @Override
  public List<EventSource<?, DatabaseServer>> prepareEventSources(
      EventSourceContext<DatabaseServer> context) {
    context
        .getPrimaryCache()
        .addIndexer(ADMIN_SECRET_INDEX, server -> List.of(adminSecretKey(server)));
    var config =
        InformerEventSourceConfiguration.from(Secret.class, DatabaseServer.class)
            .withName("admin-secrets");
    if (adminSecretNamespaces.isEmpty()) {
      config.withWatchAllNamespaces();
    } else {
      config.withNamespaces(adminSecretNamespaces);
    }
    InformerEventSource<Secret, DatabaseServer> adminSecretSource =
        new InformerEventSource<>(
            config
                .withLabelSelector(AdminSecrets.WATCH_LABEL + "=true")
                .withSecondaryToPrimaryMapper(
                    secret ->
                        context
                            .getPrimaryCache()
                            .byIndex(
                                ADMIN_SECRET_INDEX,
                                secret.getMetadata().getNamespace()
                                    + "/"
                                    + secret.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (DatabaseServer server) -> {
                      SecretReference ref = server.getSpec().getAdminSecretRef();
                      return ref == null
                          ? Set.of()
                          : Set.of(new ResourceID(ref.getName(), ref.getNamespace()));
                    })
                .build(),
            context);
    return List.of(adminSecretSource);
  }

  @Override
  public UpdateControl<DatabaseServer> reconcile(
      DatabaseServer server, Context<DatabaseServer> context) {
    if (server.getSpec().effectiveMaxConnections() < 2) {
      // The mock API server and old clusters may skip CRD validation; the cap must still hold.
      return updateStatus(
          server,
          Outcome.stalled(Reasons.INVALID_SPEC, "spec.maxConnections must be at least 2"),
          null);
    }
    DatabaseEngine engine = registry.engineFor(server, adminSecrets.read(server));
    ServerProbe probe = engine.probe();
    Outcome outcome =
        probe.sufficient()
            ? Outcome.ready(Reasons.CONNECTED, "connected as admin; " + probe.serverVersion())
            : Outcome.stalled(
                Reasons.INSUFFICIENT_PRIVILEGES,
                "the admin account lacks: "
                    + String.join(", ", probe.missingPrivileges())
                    + "; grant them (see the README, 'Admin privileges')");
    return updateStatus(server, outcome, probe.serverVersion());
  }

  @Override
  public ErrorStatusUpdateControl<DatabaseServer> updateErrorStatus(
      DatabaseServer server, Context<DatabaseServer> context, Exception e) {
    if (ErrorClassifier.interrupted(e)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Outcome outcome = ErrorClassifier.classify(e);
    log.info(
        "DatabaseServer {}: {} ({})",
        server.getMetadata().getName(),
        outcome.reason(),
        outcome.message());
    String version = server.getStatus() == null ? null : server.getStatus().getServerVersion();
    return updateStatus(server, outcome, version).isNoUpdate()
        ? ErrorStatusUpdateControl.noStatusUpdate()
        : ErrorStatusUpdateControl.patchStatus(server);
  }

  @Override
  public DeleteControl cleanup(DatabaseServer server, Context<DatabaseServer> context) {
    registry.remove(server.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<DatabaseServer> updateStatus(
      DatabaseServer server, Outcome outcome, String version) {
    DatabaseServerStatus before = server.getStatus();
    long generation = Optional.ofNullable(server.getMetadata().getGeneration()).orElse(0L);
    DatabaseServerStatus next = new DatabaseServerStatus();
    next.setObservedGeneration(generation);
    next.setConditions(
        Conditions.apply(
            before == null ? List.of() : before.getConditions(),
            outcome,
            generation,
            clock.instant()));
    next.setServerVersion(version);
    next.setDatabases(bindings.count(server.getMetadata().getName()));
    if (Objects.equals(next, before)) {
      return UpdateControl.noUpdate();
    }
    String wasReady = readyState(server);
    server.setStatus(next);
    if (!wasReady.equals(readyState(server))) {
      if (outcome.state() == Outcome.State.READY) {
        events.normal(server, outcome.reason(), outcome.message());
      } else {
        events.warning(server, outcome.reason(), outcome.message());
      }
    }
    return UpdateControl.patchStatus(server);
  }

  static String readyState(DatabaseServer server) {
    if (server.getStatus() == null) {
      return "";
    }
    return Conditions.find(server.getStatus().getConditions(), Conditions.READY)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("");
  }

  private static String adminSecretKey(DatabaseServer server) {
    SecretReference ref = server.getSpec() == null ? null : server.getSpec().getAdminSecretRef();
    return ref == null ? "" : ref.getNamespace() + "/" + ref.getName();
  }
}
