package io.appdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.observability.OperatorMetrics;
import io.appdb.operator.server.ServerRegistry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that runs on a cached copy of an AppDatabase whose deletion an earlier reconcile
 * already finished (seen at N = 5000 in the benchmark): removing the finalizer answers 404, which
 * means done, not an error to retry and report in a status that no longer exists.
 */
class StaleDeletionTest {
  /** A fresh one per test: JUnit makes a new instance of the class for each. */
  private final CrudApi api = new CrudApi();

  private final KubernetesClient client = api.client;

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aFinalizerAlreadyGoneWithItsResourceEndsTheReconcile() {
    AppDatabase cached =
        retained(
            new ObjectMetaBuilder()
                .withName("gone")
                .withResourceVersion("7")
                .withDeletionTimestamp("2026-12-04T00:00:00Z"));

    UpdateControl<AppDatabase> control = reconciler().reconcile(cached, context(cached, false));

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(client.resources(AppDatabase.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(client.v1().events().inAnyNamespace().list().getItems()).isEmpty();
  }

  /**
   * A reconcile queued behind the one that released the AppDatabase runs on the cached copy, which
   * still carries the finalizer: it sends nothing, until the deletion event has been seen.
   */
  @Test
  void aReconcileBehindTheReleaseSendsNothing() {
    AppDatabase adb = retained(new ObjectMetaBuilder().withName("leaving"));
    client.resource(adb).create();
    client.resource(adb).delete();
    AppDatabase cached =
        client.resources(AppDatabase.class).inNamespace("team").withName("leaving").get();
    assertThat(cached.isMarkedForDeletion()).isTrue();
    AppDatabaseReconciler reconciler = reconciler();

    reconciler.reconcile(cached, context(cached, false));
    assertThat(client.resources(AppDatabase.class).inNamespace("team").withName("leaving").get())
        .as("released: the last finalizer gone, the API server deletes it")
        .isNull();
    int requests = api.requests();

    UpdateControl<AppDatabase> behind = reconciler.reconcile(cached, context(cached, false));
    assertThat(behind.isNoUpdate()).isTrue();
    assertThat(api.requests()).as("requests sent by the reconcile behind").isEqualTo(requests);

    // The deletion event forgets it; a copy seen after that is handled afresh (the 404 case).
    reconciler.reconcile(cached, context(cached, true));
    reconciler.reconcile(cached, context(cached, false));
    assertThat(api.requests()).isEqualTo(requests + 1);
  }

  /** An AppDatabase in namespace team with deletionPolicy Retain, carrying the finalizer. */
  private static AppDatabase retained(ObjectMetaBuilder metadata) {
    AppDatabase adb = new AppDatabase();
    adb.setMetadata(
        metadata.withNamespace("team").withFinalizers(AppDatabaseReconciler.FINALIZER).build());
    AppDatabaseSpec spec = new AppDatabaseSpec();
    spec.setDeletionPolicy(DeletionPolicy.Retain);
    adb.setSpec(spec);
    return adb;
  }

  private AppDatabaseReconciler reconciler() {
    return new AppDatabaseReconciler(
        client,
        new ServerRegistry(
            connection -> {
              throw new AssertionError("a released AppDatabase needs no server");
            },
            Duration.ofSeconds(5)),
        new EventRecorder(client),
        new Bindings(),
        new OperatorMetrics(new SimpleMeterRegistry()),
        ProvisioningSteps.NONE,
        Duration.ofMinutes(10));
  }

  /** The things a release asks of JOSDK's context; anything else fails the test. */
  @SuppressWarnings("unchecked")
  private Context<AppDatabase> context(AppDatabase primary, boolean deleted) {
    return (Context<AppDatabase>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getClient" -> client;
                  case "getPrimaryResource" -> primary;
                  case "isPrimaryResourceDeleted" -> deleted;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
