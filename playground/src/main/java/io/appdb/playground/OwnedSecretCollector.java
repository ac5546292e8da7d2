package io.appdb.playground;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Stands in for the garbage collector a real cluster runs: when an AppDatabase is deleted, the
 * Secrets it controls (owner reference) go too. Without it a deleted and re-created AppDatabase
 * would find its old Secret and, correctly, refuse it as {@code SecretConflict}.
 */
final class OwnedSecretCollector implements AutoCloseable {

  private final Watch watch;

  private OwnedSecretCollector(Watch watch) {
    this.watch = watch;
  }

  static OwnedSecretCollector start(KubernetesClient client) {
    Watch watch =
        client
            .resources(AppDatabase.class)
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, AppDatabase adb) {
                    if (action == Action.DELETED) {
                      deleteOwnedSecrets(client, adb);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    // Closed with the playground.
                  }
                });
    return new OwnedSecretCollector(watch);
  }

  private static void deleteOwnedSecrets(KubernetesClient client, AppDatabase adb) {
    String uid = adb.getMetadata().getUid();
    for (Secret secret :
        client.secrets().inNamespace(adb.getMetadata().getNamespace()).list().getItems()) {
      boolean owned =
          secret.getMetadata().getOwnerReferences().stream()
              .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && uid.equals(o.getUid()));
      if (owned) {
        client.resource(secret).delete();
      }
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
