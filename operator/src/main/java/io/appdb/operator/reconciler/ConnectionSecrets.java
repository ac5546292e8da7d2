package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServerSpec;
import io.appdb.operator.secret.ConnectionDetails;
import io.appdb.operator.secret.ConnectionSecretRenderer;
import io.appdb.operator.secret.PasswordGenerator;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * Reads and writes the connection Secret of an AppDatabase. Reads come from the informer cache of
 * the operator's own (labelled) Secrets; a Secret that is not there but exists anyway is someone
 * else's until its owner reference proves otherwise. Writes happen only when the rendered Secret
 * differs from what is stored.
 */
public final class ConnectionSecrets {
  private final KubernetesClient client;
  private final InformerEventSource<Secret, AppDatabase> cache;

  public ConnectionSecrets(
      KubernetesClient client, InformerEventSource<Secret, AppDatabase> cache) {
    this.client = client;
    this.cache = cache;
  }

  /** Ensures the Secret of {@code plan} exists with current content; returns its password. */
  public Provisioner.SecretState ensure(Plan plan) {
    return ensure(new Target(plan, plan.secretName(), plan.username()));
  }

  /** The same for one account of {@code spec.accounts}: its own Secret, user and password. */
  public Provisioner.SecretState ensure(Plan plan, Plan.Account account) {
    return ensure(new Target(plan, account.secretName(), account.username()));
  }

  /**
   * Deletes the Secret {@code name} of an account that no longer exists, if it is this
   * AppDatabase's; returns whether it deleted one. A Secret of that name that is not in the cache
   * or not owned by this AppDatabase is someone else's and stays.
   */
  public boolean deleteIfOwned(AppDatabase adb, String name) {
    String namespace = adb.getMetadata().getNamespace();
    Optional<Secret> cached = cache.get(new ResourceID(name, namespace));
    if (cached.isEmpty() || !ConnectionSecretRenderer.ownedBy(cached.get(), adb)) {
      return false;
    }
    client.secrets().inNamespace(namespace).withName(name).delete();
    return true;
  }

  /** Which Secret, for which user, of which plan. */
  private record Target(Plan plan, String secretName, String username) {
    AppDatabase resource() {
      return plan.resource();
    }
  }

  private Provisioner.SecretState ensure(Target plan) {
    AppDatabase adb = plan.resource();
    String namespace = adb.getMetadata().getNamespace();
    Optional<Secret> cached = cache.get(new ResourceID(plan.secretName(), namespace));
    if (cached.isEmpty()) {
      return createOrAdopt(plan);
    }
    return update(plan, cached.get());
  }

  private Provisioner.SecretState createOrAdopt(Target plan) {
    AppDatabase adb = plan.resource();
    String namespace = adb.getMetadata().getNamespace();
    String password = PasswordGenerator.generate();
    Secret desired = render(plan, password);
    try {
      Secret created = new DirectWrites(client).create(desired);
      cache.handleRecentResourceCreate(ResourceID.fromResource(adb), created);
      return new Provisioner.SecretState(password, true, true);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    // It exists but is not in our cache: not labelled by us, or the cache is behind.
    Secret existing = client.secrets().inNamespace(namespace).withName(plan.secretName()).get();
    if (existing == null) {
      throw new TransientProblem(
          Reasons.PROGRESSING, "Secret " + plan.secretName() + " vanished while being created");
    }
    return update(plan, existing);
  }

  private Provisioner.SecretState update(Target plan, Secret existing) {
    AppDatabase adb = plan.resource();
    if (!ConnectionSecretRenderer.ownedBy(existing, adb)) {
      throw new PermanentProblem(
          Reasons.SECRET_CONFLICT,
          "Secret "
              + plan.secretName()
              + " already exists and is not owned by this AppDatabase; the operator never"
              + " overwrites it. Delete it or set spec.secret.name to another name.");
    }
    Optional<String> stored = ConnectionSecretRenderer.password(existing);
    String password = stored.filter(p -> !p.isEmpty()).orElseGet(PasswordGenerator::generate);
    Secret desired = render(plan, password);
    if (ConnectionSecretRenderer.sameContent(existing, desired)) {
      return new Provisioner.SecretState(password, false, false);
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    Secret updated =
        client.secrets().inNamespace(adb.getMetadata().getNamespace()).resource(desired).update();
    cache.handleRecentResourceUpdate(ResourceID.fromResource(adb), updated, existing);
    return new Provisioner.SecretState(password, false, true);
  }

  private static Secret render(Target target, String password) {
    Plan plan = target.plan();
    DatabaseServerSpec server = plan.server().getSpec();
    String host =
        server.getAppEndpoint() != null ? server.getAppEndpoint().getHost() : server.getHost();
    int port =
        server.getAppEndpoint() != null && server.getAppEndpoint().getPort() != null
            ? server.getAppEndpoint().getPort()
            : server.effectivePort();
    ConnectionDetails details =
        new ConnectionDetails(
            plan.engine(),
            host,
            port,
            plan.databaseName(),
            target.username(),
            password,
            server.getUrlParameters());
    return ConnectionSecretRenderer.render(plan.resource(), target.secretName(), details);
  }
}
