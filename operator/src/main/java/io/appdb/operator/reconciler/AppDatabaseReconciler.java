package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.EngineException;
import io.appdb.operator.observability.OperatorMetrics;
import io.appdb.operator.secret.ConnectionSecretRenderer;
import io.appdb.operator.server.AdminSecrets;
import io.appdb.operator.server.ServerRegistry;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Outcome;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orchestrates one AppDatabase: plan (no SQL) -> provision -> status. Everything else is delegated:
 * {@link Planner} decides, {@link Provisioner} runs the steps, {@link ConnectionSecrets} owns the
 * Secret, {@link ErrorClassifier} maps failures to conditions.
 */
@ControllerConfiguration(name = AppDatabaseReconciler.NAME, triggerReconcilerOnAllEvents = true)
public class AppDatabaseReconciler implements Reconciler<AppDatabase> {
  public static final String NAME = "appdatabase";

  /**
   * Only AppDatabases with {@code deletionPolicy: Delete} carry it: Retain needs nothing done on
   * deletion, and without a finalizer it never waits for the operator (uninstalled, down) to be
   * deleted. The name JOSDK derived before, so that existing resources keep working.
   */
  public static final String FINALIZER = "appdatabases.appdb.io/finalizer";

  private static final Logger log = LoggerFactory.getLogger(AppDatabaseReconciler.class);
  private static final String SERVER_INDEX = "by-server";

  /** Index key of AppDatabases that will follow whichever server is marked default. */
  private static final String DEFAULT_KEY = "";

  private static final Duration DELETE_RETRY = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final ServerRegistry registry;
  private final AdminSecrets adminSecrets;
  private final EventRecorder events;
  private final Bindings bindings;
  private final Provisioner provisioner;
  private final AccountProvisioner accounts;
  private final ProvisioningSteps.Listener steps;
  private final AppDatabaseStatuses statuses;
  private final ServerSlots slots = new ServerSlots(this::wake);
  private final CatalogSnapshots snapshots;

  /**
   * When each AppDatabase was last checked in full against its server (login included), by
   * provisioning or by a resync. A resync-style reconcile (nothing new to apply) that comes within
   * half a resync interval of such a check is answered by it, before asking for a slot on the
   * server, and the next check stays due one resync interval after the last (see {@link
   * #recentCheck}).
   *
   * <p>Such a reconcile is never the periodic resync, which JOSDK schedules a whole interval after
   * the last reconcile. It comes from an event that brings nothing to check on the server: a slot
   * wake-up or its fallback, a change of the server's readiness or default mark. In a burst these
   * can run seconds after the reconcile that provisioned: at N = 5000 the benchmark saw 78 of 2500
   * MariaDB AppDatabases reconciled again 5.8-8.5 s after their provisioning, behind thousands of
   * reconciles in JOSDK's queue. Each would have queued for a slot again and logged in a second
   * time. Hand-made drift is the periodic resync's to find, and it is not delayed by this.
   */
  private final Map<ResourceID, Long> checkedAt = new ConcurrentHashMap<>();

  private final Duration resyncInterval;

  /**
   * The AppDatabases (with their uid) whose finalizer this operator removed, until their deletion
   * reaches the cache. A reconcile queued behind the one that released it (a slot wake-up's
   * fallback, for example) runs on the cached copy, which still carries the finalizer: without this
   * it would look for the claims on the server again and send a finalizer patch that the API server
   * answers with 404. The benchmark counted 14 and 32 such patches in two deletions of 5000.
   */
  private final Map<ResourceID, String> released = new ConcurrentHashMap<>();

  private final OperatorMetrics metrics;

  private InformerEventSource<Secret, AppDatabase> secrets;
  private InformerEventSource<DatabaseServer, AppDatabase> servers;

  /** Wakes an AppDatabase waiting for a slot on its server (see {@link ServerSlots}). */
  private volatile SimpleInboundEventSource<AppDatabase> slotWakeups;

  public AppDatabaseReconciler(
      KubernetesClient client,
      ServerRegistry registry,
      EventRecorder events,
      Bindings bindings,
      OperatorMetrics metrics,
      ProvisioningSteps.Listener steps,
      Duration resyncInterval) {
    this.client = client;
    this.snapshots = new CatalogSnapshots(resyncInterval);
    this.resyncInterval = resyncInterval;
    this.steps = steps;
    this.provisioner = new Provisioner(steps);
    this.accounts = new AccountProvisioner(steps);
    this.metrics = metrics;
    this.registry = registry;
    this.adminSecrets = new AdminSecrets(client);
    this.events = events;
    this.bindings = bindings;
    this.statuses = new AppDatabaseStatuses(Clock.systemUTC());
  }

  @Override
  public List<EventSource<?, AppDatabase>> prepareEventSources(
      EventSourceContext<AppDatabase> context) {
    context.getPrimaryCache().addIndexer(SERVER_INDEX, adb -> List.of(serverKey(adb)));
    secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, AppDatabase.class)
                .withName("connection-secrets")
                .withLabelSelector(
                    ConnectionSecretRenderer.MANAGED_BY_LABEL
                        + "="
                        + ConnectionSecretRenderer.MANAGED_BY_VALUE)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(AppDatabase.class))
                // Only the operator creates these Secrets, right before it finishes the reconcile
                // that created them. JOSDK's own-write filter (handleRecentResourceCreate) can lose
                // the race when the watch event arrives before the create call returns, and a lost
                // race would cost a second full reconcile (a login and a round of SQL). Deletions
                // and edits still trigger; at start-up every AppDatabase is reconciled anyway.
                .withOnAddFilter(secret -> false)
                .build(),
            context);
    servers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DatabaseServer.class, AppDatabase.class)
                .withName("servers")
                .withWatchAllNamespaces()
                .withOnUpdateFilter(AppDatabaseReconciler::serverChangeMatters)
                .withSecondaryToPrimaryMapper(
                    server -> {
                      Set<ResourceID> ids = new HashSet<>();
                      var cache = context.getPrimaryCache();
                      cache.byIndex(SERVER_INDEX, server.getMetadata().getName()).stream()
                          .map(ResourceID::fromResource)
                          .forEach(ids::add);
                      cache.byIndex(SERVER_INDEX, DEFAULT_KEY).stream()
                          .map(ResourceID::fromResource)
                          .forEach(ids::add);
                      return ids;
                    })
                .build(),
            context);
    slotWakeups = new SimpleInboundEventSource<>("server-slot-wakeups");
    return List.of(secrets, servers, slotWakeups);
  }

  private void wake(Object waiting) {
    SimpleInboundEventSource<AppDatabase> source = slotWakeups;
    if (source != null && waiting instanceof ResourceID id) {
      source.propagateEvent(id);
    }
  }

  /**
   * Called for every event, deletions included (JOSDK's {@code triggerReconcilerOnAllEvents}), so
   * that the finalizer can be kept to the AppDatabases that need it; JOSDK's Cleaner would put it
   * on every one.
   */
  @Override
  public UpdateControl<AppDatabase> reconcile(AppDatabase adb, Context<AppDatabase> context) {
    if (context.isPrimaryResourceDeleted()) {
      forget(adb);
      return UpdateControl.noUpdate();
    }
    if (adb.isMarkedForDeletion()) {
      if (!adb.hasFinalizer(FINALIZER)) {
        forget(adb);
        return UpdateControl.noUpdate();
      }
      if (uid(adb).equals(released.get(ResourceID.fromResource(adb)))) {
        return UpdateControl.noUpdate();
      }
      return delete(adb, context);
    }
    if (!needsFinalizer(adb) && adb.hasFinalizer(FINALIZER)) {
      // Switched to Retain, or left by an earlier version that put it on every AppDatabase.
      adb = PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
    }
    return reconcileLive(adb, context);
  }

  private static boolean needsFinalizer(AppDatabase adb) {
    return adb.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Delete;
  }

  /**
   * Adds the finalizer, if the AppDatabase needs one and lacks it, once it has been planned: an
   * AppDatabase that can never be planned never gets as far as its server, has nothing there to
   * drop, and is deleted without waiting for the operator.
   *
   * <p>Not later, inside the server's slot, right before the first SQL: tried on 2026-12-06, it
   * saves the burst's waiting AppDatabases their finalizer write on arrival, but puts a second API
   * round trip (finalizer and Secret) into every slot, while the mock API server answers slowly
   * during the burst. No gain showed: the benchmark's 500 MariaDB AppDatabases took 5.8-7.1 s in
   * five runs with it and 5.7-8.6 s in four runs of the same session without it, and the placement
   * measured since 2026-12-04 (before the slot) was kept.
   */
  private static AppDatabase withFinalizer(AppDatabase adb, Context<AppDatabase> context) {
    if (needsFinalizer(adb) && !adb.hasFinalizer(FINALIZER)) {
      return PrimaryPatches.addFinalizer(adb, context, FINALIZER);
    }
    return adb;
  }

  private UpdateControl<AppDatabase> reconcileLive(AppDatabase adb, Context<AppDatabase> context) {
    Plan plan = null;
    try {
      plan = planner().plan(adb);
      bindings.bind(plan.owner(), plan.serverName());
      adb = withFinalizer(adb, context);
      Provisioner.SecretState secret = null;
      Optional<Duration> checkDue =
          isResync(adb, plan) ? recentCheck(ResourceID.fromResource(adb)) : Optional.empty();
      if (checkDue.isPresent()) {
        // Answered by the last full check: no SQL, so no slot either. Asking for one could put
        // this reconcile in the server's queue and have it check again much later.
        steps.before(ProvisioningSteps.Step.RESYNC, plan.owner().toString());
        secret = new ConnectionSecrets(client, secrets).ensure(plan);
        if (!secret.changed()) {
          // Rescheduled for when the last check's resync is due: JOSDK would otherwise count the
          // interval again from this reconcile, and drift would be found later.
          return updateStatus(adb, context, null, readyOutcome(plan), plan, true)
              .rescheduleAfter(checkDue.get());
        }
      }
      Optional<ServerSlots.Slot> slot = enter(plan, adb);
      if (slot.isEmpty()) {
        return UpdateControl.<AppDatabase>noUpdate()
            .rescheduleAfter(slots.retryDelay(plan.serverName()));
      }
      Provisioned done;
      try (ServerSlots.Slot held = slot.get()) {
        done = provision(adb, plan, secret);
      }
      // The status and event writes need no server: the slot is already free for the next one.
      steps.before(ProvisioningSteps.Step.STATUS, plan.owner().toString());
      return updateStatus(adb, context, done.eventDetail(), readyOutcome(plan), plan, true);
    } catch (PermanentProblem stalled) {
      return updateStatus(
          adb, context, null, Outcome.stalled(stalled.reason(), stalled.getMessage()), plan, false);
    }
  }

  private Optional<ServerSlots.Slot> enter(Plan plan, AppDatabase adb) {
    return slots.tryEnter(
        plan.serverName(), provisioningConnections(plan.server()), ResourceID.fromResource(adb));
  }

  /**
   * The admin connections the server's engine gives provisioning. Asking for a slot opens nothing:
   * a server without an engine yet (its probe has not run) counts its maxConnections, and any
   * trouble opening the engine shows up where it is handled, inside the slot.
   */
  private int provisioningConnections(DatabaseServer server) {
    return registry
        .existing(server.getMetadata().getName())
        .map(DatabaseEngine::provisioningConnections)
        .orElse(server.getSpec().effectiveMaxConnections());
  }

  /**
   * @param checkedSecret the Secret's state if this reconcile already ensured it (it changed, so
   *     the full steps run), else null
   */
  private Provisioned provision(AppDatabase adb, Plan plan, Provisioner.SecretState checkedSecret) {
    DatabaseEngine engine = engineFor(plan.server());
    ConnectionSecrets secretStore = new ConnectionSecrets(client, secrets);
    Provisioner.SecretState secret = checkedSecret;
    ResourceID id = ResourceID.fromResource(adb);
    if (secret == null && isResync(adb, plan)) {
      // A recent full check was already looked for in reconcileLive, before the slot.
      steps.before(ProvisioningSteps.Step.RESYNC, plan.owner().toString());
      secret = secretStore.ensure(plan);
      if (!secret.changed() && verifiedFromSnapshot(engine, plan, secret)) {
        checkedAt.put(id, System.nanoTime());
        return new Provisioned(null);
      }
    }
    Provisioner.SecretState known = secret;
    Provisioner.Result result =
        provisioner.provision(
            engine,
            plan.target(),
            () -> known != null ? known : secretStore.ensure(plan),
            accounts.accountUsers(engine, plan));
    boolean wasReady =
        adb.getStatus() != null
            && Conditions.isTrue(adb.getStatus().getConditions(), Conditions.READY);
    String creation = recordResultEvents(adb, plan, result, wasReady);
    recordAccountEvents(adb, accounts.reconcile(engine, plan, secretStore));
    checkedAt.put(id, System.nanoTime());
    return new Provisioned(creation);
  }

  /**
   * A provisioning run that left the AppDatabase Ready.
   *
   * @param eventDetail what was created, for the Provisioned event; null when nothing was
   */
  private record Provisioned(String eventDetail) {}

  /**
   * Within half a resync interval of the last full check: how long until the next check is due (a
   * resync interval after the last). Empty otherwise, and an older entry is dropped.
   */
  private Optional<Duration> recentCheck(ResourceID id) {
    Long at = checkedAt.get(id);
    if (at == null) {
      return Optional.empty();
    }
    long age = System.nanoTime() - at;
    if (age <= resyncInterval.toNanos() / 2) {
      return Optional.of(resyncInterval.minusNanos(age));
    }
    checkedAt.remove(id, at);
    return Optional.empty();
  }

  /**
   * A reconcile with nothing new to apply: the AppDatabase is Ready for its current generation and
   * has no other accounts (whose grants inside the database no snapshot reads). The Secret is
   * checked next; only when it is unchanged too can the catalog snapshot stand in for the checks.
   */
  private static boolean isResync(AppDatabase adb, Plan plan) {
    AppDatabaseStatus status = adb.getStatus();
    return status != null
        && status.getBinding() != null
        && Objects.equals(status.getObservedGeneration(), adb.getMetadata().getGeneration())
        && Conditions.isTrue(status.getConditions(), Conditions.READY)
        && !AccountProvisioner.inUse(plan);
  }

  /**
   * The resync of DESIGN §5 from the server's shared catalog snapshot: when it shows the claims,
   * user, database and grants exactly in place, a real login with the Secret's password is all that
   * is left to check. Anything else, a failed login included, goes through the full provisioning
   * checks, which repair and report it.
   */
  private boolean verifiedFromSnapshot(
      DatabaseEngine engine, Plan plan, Provisioner.SecretState secret) {
    CatalogSnapshot.Expected expected =
        new CatalogSnapshot.Expected(
            plan.owner(), plan.databaseName(), plan.username(), plan.ownerConnectionLimit());
    if (!snapshots.get(plan.serverName(), engine).inPlace(expected)) {
      return false;
    }
    steps.before(ProvisioningSteps.Step.VERIFY, plan.owner().toString());
    try {
      engine.verifyLogin(plan.databaseName(), plan.username(), secret.password());
      return true;
    } catch (EngineException e) {
      if (e.kind() == EngineException.Kind.LOGIN_FAILED) {
        return false;
      }
      throw e;
    }
  }

  private static Outcome readyOutcome(Plan plan) {
    return Outcome.ready(
        Reasons.PROVISIONED,
        "database "
            + plan.databaseName()
            + " and user "
            + plan.username()
            + " are ready on server "
            + plan.serverName()
            + "; connection details are in Secret "
            + plan.secretName());
  }

  @Override
  public ErrorStatusUpdateControl<AppDatabase> updateErrorStatus(
      AppDatabase adb, Context<AppDatabase> context, Exception e) {
    if (ErrorClassifier.interrupted(e)) {
      // The operator is stopping: this is no news about the AppDatabase, so nothing is written.
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Outcome outcome = ErrorClassifier.classify(e);
    log.info(
        "AppDatabase {}/{}: {} ({})",
        adb.getMetadata().getNamespace(),
        adb.getMetadata().getName(),
        outcome.reason(),
        outcome.message());
    updateStatus(adb, context, null, outcome, null, false);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Forgets what the operator keeps in memory about an AppDatabase that is gone. */
  private void forget(AppDatabase adb) {
    bindings.unbind(
        new io.appdb.operator.engine.Owner(
            adb.getMetadata().getNamespace(), adb.getMetadata().getName()));
    ResourceID id = ResourceID.fromResource(adb);
    slots.forget(id);
    checkedAt.remove(id);
    released.remove(id);
    metrics.forgetAppDatabase(adb.getMetadata().getNamespace(), adb.getMetadata().getName());
  }

  /**
   * An AppDatabase being deleted that carries the finalizer: with {@code Delete}, drops what it
   * owns on its server first; then lets it go. Waits, reported in status, while the server is
   * unreachable.
   */
  private UpdateControl<AppDatabase> delete(AppDatabase adb, Context<AppDatabase> context) {
    if (adb.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Retain) {
      // Retain never needs the server: nothing on it changes, the Secret goes with its owner.
      return release(adb, context);
    }
    Plan plan;
    try {
      plan = planner().plan(adb);
    } catch (PermanentProblem neverProvisioned) {
      // An AppDatabase that could never be planned never created anything on a server.
      return release(adb, context);
    }
    Optional<ServerSlots.Slot> slot = enter(plan, adb);
    if (slot.isEmpty()) {
      return UpdateControl.<AppDatabase>noUpdate()
          .rescheduleAfter(slots.retryDelay(plan.serverName()));
    }
    try (ServerSlots.Slot held = slot.get()) {
      DatabaseEngine engine = engineFor(plan.server());
      boolean dropped = provisioner.deprovision(engine, plan.target());
      accounts.dropAll(engine, plan);
      // Nothing to drop means an earlier reconcile did it and recorded the event, and this one
      // ran on a cached copy that still had the finalizer (seen at N = 5000 in the benchmark).
      if (dropped) {
        events.normal(
            adb,
            Reasons.DELETED,
            "dropped database "
                + plan.databaseName()
                + " and user "
                + plan.username()
                + " on server "
                + plan.serverName());
      }
    } catch (RuntimeException e) {
      Outcome outcome = ErrorClassifier.classify(e);
      Outcome waiting =
          Outcome.reconciling(
              outcome.reason(),
              "deletion waits for server " + plan.serverName() + ": " + outcome.message());
      AppDatabaseStatus desired = statuses.desired(adb, waiting, plan, false);
      if (!Objects.equals(desired, adb.getStatus())) {
        patchStatus(adb, context, desired);
      }
      return UpdateControl.<AppDatabase>noUpdate().rescheduleAfter(DELETE_RETRY);
    }
    return release(adb, context);
  }

  private UpdateControl<AppDatabase> release(AppDatabase adb, Context<AppDatabase> context) {
    forget(adb);
    try {
      PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      // Already gone: an earlier reconcile removed the finalizer (before a restart, or by another
      // replica) and this one ran on a cached copy that still had it. Nothing is left to do, and
      // no status to write.
    }
    // After forget(): the deletion event that follows forgets the uid again.
    released.put(ResourceID.fromResource(adb), uid(adb));
    return UpdateControl.noUpdate();
  }

  /** The API server sets it on every object; objects made in unit tests may lack it. */
  private static String uid(AppDatabase adb) {
    return Objects.requireNonNullElse(adb.getMetadata().getUid(), "");
  }

  private Planner planner() {
    return new Planner(new CachedServerLookup());
  }

  private DatabaseEngine engineFor(DatabaseServer server) {
    return registry
        .existing(server.getMetadata().getName())
        .orElseGet(() -> registry.engineFor(server, adminSecrets.read(server)));
  }

  /**
   * Writes the status when, and only when, it differs from the stored one, and records an event
   * when Ready changes. The write goes through JOSDK's patch-and-cache utility, so that a reconcile
   * triggered right after (for example by the Secret just created) sees this status and does not
   * write it a second time. {@code eventDetail}, if any, goes before the message of a transition
   * event only.
   */
  private UpdateControl<AppDatabase> updateStatus(
      AppDatabase adb,
      Context<AppDatabase> context,
      String eventDetail,
      Outcome outcome,
      Plan plan,
      boolean secretWritten) {
    metrics.recordAppDatabase(
        adb.getMetadata().getNamespace(),
        adb.getMetadata().getName(),
        OperatorMetrics.AppDatabaseState.valueOf(outcome.state().name()));
    AppDatabaseStatus before = adb.getStatus();
    AppDatabaseStatus desired = statuses.desired(adb, outcome, plan, secretWritten);
    if (Objects.equals(desired, before)) {
      return UpdateControl.noUpdate();
    }
    String wasReady = AppDatabaseStatuses.readyState(before);
    log.debug(
        "AppDatabase {}/{}: status changes from {} to {}",
        adb.getMetadata().getNamespace(),
        adb.getMetadata().getName(),
        wasReady,
        AppDatabaseStatuses.readyState(desired));
    patchStatus(adb, context, desired);
    if (!wasReady.equals(AppDatabaseStatuses.readyState(desired))) {
      switch (outcome.state()) {
        case READY ->
            events.normal(
                adb,
                outcome.reason(),
                eventDetail == null ? outcome.message() : eventDetail + "; " + outcome.message());
        case STALLED, RECONCILING -> events.warning(adb, outcome.reason(), outcome.message());
      }
    }
    return UpdateControl.noUpdate();
  }

  private static void patchStatus(
      AppDatabase adb, Context<AppDatabase> context, AppDatabaseStatus desired) {
    PrimaryPatches.status(adb, context, desired);
  }

  /**
   * Records the events of a provisioning run. What was created is returned instead of recorded when
   * the AppDatabase is about to become Ready, so that the Provisioned event tells it and one event
   * write is saved per new AppDatabase.
   */
  private String recordResultEvents(
      AppDatabase adb, Plan plan, Provisioner.Result result, boolean wasReady) {
    String creation = null;
    if (result.userCreated() || result.databaseCreated()) {
      creation =
          (result.databaseCreated()
                  ? "created database " + plan.databaseName()
                  : "database " + plan.databaseName() + " already present")
              + (result.userCreated() ? ", created user " + plan.username() : "")
              + " on server "
              + plan.serverName();
      if (wasReady) {
        events.normal(adb, Reasons.CREATED, creation);
        creation = null;
      }
    }
    if (result.passwordApplied()) {
      events.normal(
          adb,
          Reasons.PASSWORD_APPLIED,
          "the password in Secret "
              + plan.secretName()
              + " was applied to user "
              + plan.username());
    }
    if (!result.drift().isEmpty()) {
      events.warning(adb, Reasons.DRIFT_CORRECTED, String.join("; ", result.drift()));
    }
    return creation;
  }

  private void recordAccountEvents(AppDatabase adb, AccountProvisioner.Result result) {
    if (!result.created().isEmpty()) {
      events.normal(
          adb, Reasons.CREATED, "created accounts " + String.join(", ", result.created()));
    }
    if (!result.passwordsApplied().isEmpty()) {
      events.normal(
          adb,
          Reasons.PASSWORD_APPLIED,
          "the passwords in the Secrets of accounts "
              + String.join(", ", result.passwordsApplied())
              + " were applied");
    }
    if (!result.removed().isEmpty()) {
      events.normal(
          adb,
          Reasons.DELETED,
          "accounts removed from spec.accounts: dropped/deleted "
              + String.join(", ", result.removed()));
    }
    if (!result.drift().isEmpty()) {
      events.warning(adb, Reasons.DRIFT_CORRECTED, String.join("; ", result.drift()));
    }
  }

  private static String serverKey(AppDatabase adb) {
    if (adb.getStatus() != null && adb.getStatus().getServer() != null) {
      return adb.getStatus().getServer();
    }
    if (adb.getSpec().getServerRef() != null) {
      return adb.getSpec().getServerRef().getName();
    }
    return DEFAULT_KEY;
  }

  /**
   * A server change only concerns AppDatabases when its spec, its default marker or its Ready
   * condition changed; status counters change often and must not fan out to every AppDatabase.
   */
  private static boolean serverChangeMatters(DatabaseServer now, DatabaseServer before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(defaultMark(now), defaultMark(before))
        || !Objects.equals(
            DatabaseServerReconciler.readyState(now), DatabaseServerReconciler.readyState(before));
  }

  private static String defaultMark(DatabaseServer server) {
    Map<String, String> annotations = server.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DatabaseServer.DEFAULT_SERVER_ANNOTATION);
  }

  /** Server reads from the informer cache; namespace labels by GET, only when a selector asks. */
  private final class CachedServerLookup implements ServerLookup {
    @Override
    public Optional<DatabaseServer> server(String name) {
      return servers.get(new ResourceID(name));
    }

    @Override
    public List<DatabaseServer> servers() {
      return servers.list(s -> true).toList();
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
      Namespace ns = client.namespaces().withName(namespace).get();
      return ns == null || ns.getMetadata().getLabels() == null
          ? Map.of()
          : ns.getMetadata().getLabels();
    }
  }
}
