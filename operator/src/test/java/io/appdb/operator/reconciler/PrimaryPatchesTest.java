package io.appdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.Binding;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The patches behind status and finalizer writes, against the mock API server in CRUD mode: they
 * are refused when the object changed since it was read (so nobody else's write is lost), the
 * status replaces the stored one whole, and other controllers' finalizers stay.
 */
class PrimaryPatchesTest {
  private static final String OTHER_FINALIZER = "backup.example.com/keep";

  /** A fresh one per test: JUnit makes a new instance of the class for each. */
  private final CrudApi api = new CrudApi();

  private final KubernetesClient client = api.client;

  @AfterEach
  void stop() {
    api.close();
  }

  private AppDatabase create(String... finalizers) {
    AppDatabase adb = new AppDatabase();
    adb.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team")
            .withName("shop")
            .withFinalizers(finalizers)
            .build());
    adb.setSpec(new AppDatabaseSpec());
    return client.resource(adb).create();
  }

  private static AppDatabaseStatus status(String username, Binding binding) {
    AppDatabaseStatus status = new AppDatabaseStatus();
    status.setObservedGeneration(1L);
    status.setUsername(username);
    status.setBinding(binding);
    return status;
  }

  @Test
  void theStatusReplacesTheStoredOneWholeFieldsItLacksIncluded() {
    AppDatabase read = create();
    read.setStatus(status("shop_user", new Binding("shop-db")));
    AppDatabase bound =
        PrimaryPatches.send(client, read, PrimaryPatches.statusOperation(read.getStatus()), true);
    assertThat(bound.getStatus().getBinding()).isNotNull();

    bound.setStatus(status("shop_user", null));
    AppDatabase unbound =
        PrimaryPatches.send(client, bound, PrimaryPatches.statusOperation(bound.getStatus()), true);

    AppDatabase stored = client.resource(unbound).get();
    assertThat(stored.getStatus().getBinding()).isNull();
    assertThat(stored.getStatus().getUsername()).isEqualTo("shop_user");
    assertThat(stored.getMetadata().getResourceVersion())
        .isEqualTo(unbound.getMetadata().getResourceVersion());
  }

  @Test
  void aStatusBuiltOnAStaleCopyIsRefusedAndTheNewerOneKept() {
    AppDatabase stale = create();
    AppDatabase newer =
        PrimaryPatches.send(
            client,
            stale,
            PrimaryPatches.statusOperation(status("written_by_another", null)),
            true);

    stale.setStatus(status("from_stale_copy", null));
    KubernetesClientException refused =
        catchThrowableOfType(
            () ->
                PrimaryPatches.send(
                    client, stale, PrimaryPatches.statusOperation(stale.getStatus()), true),
            KubernetesClientException.class);

    assertThat(refused.getCode()).isEqualTo(409);
    AppDatabase stored = client.resource(newer).get();
    assertThat(stored.getStatus().getUsername()).isEqualTo("written_by_another");
  }

  @Test
  void aFinalizerIsAddedBesideOthersAndOnlyOnTheCopyItWasReadFrom() {
    AppDatabase read = create(OTHER_FINALIZER);
    read.addFinalizer(AppDatabaseReconciler.FINALIZER);
    AppDatabase added = PrimaryPatches.send(client, read, PrimaryPatches.finalizers(read), false);
    assertThat(client.resource(added).get().getMetadata().getFinalizers())
        .containsExactly(OTHER_FINALIZER, AppDatabaseReconciler.FINALIZER);

    // A copy read before the finalizer was added must not write its older list back.
    AppDatabase stale = read;
    stale.getMetadata().setFinalizers(List.of(OTHER_FINALIZER));
    KubernetesClientException refused =
        catchThrowableOfType(
            () -> PrimaryPatches.send(client, stale, PrimaryPatches.finalizers(stale), false),
            KubernetesClientException.class);
    assertThat(refused.getCode()).isEqualTo(409);
    assertThat(client.resource(added).get().getMetadata().getFinalizers())
        .containsExactly(OTHER_FINALIZER, AppDatabaseReconciler.FINALIZER);
  }
}
