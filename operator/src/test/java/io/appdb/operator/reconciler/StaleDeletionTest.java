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
    AppDatabase cached = new AppDatabase();
    cached.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team")
            .withName("gone")
            .withResourceVersion("7")
            .withDeletionTimestamp("2026-12-04T00:00:00Z")
            .withFinalizers(AppDatabaseReconciler.FINALIZER)
            .build());
    AppDatabaseSpec spec = new AppDatabaseSpec();
    spec.setDeletionPolicy(DeletionPolicy.Retain);
    cached.setSpec(spec);

    AppDatabaseReconciler reconciler =
        new AppDatabaseReconciler(
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

    UpdateControl<AppDatabase> control = reconciler.reconcile(cached, context(cached));

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(client.resources(AppDatabase.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(client.v1().events().inAnyNamespace().list().getItems()).isEmpty();
  }

  /** The two things a release asks of JOSDK's context; anything else fails the test. */
  @SuppressWarnings("unchecked")
  private Context<AppDatabase> context(AppDatabase primary) {
    return (Context<AppDatabase>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getClient" -> client;
                  case "getPrimaryResource" -> primary;
                  case "isPrimaryResourceDeleted" -> false;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
