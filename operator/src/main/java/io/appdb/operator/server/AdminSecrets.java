package io.appdb.operator.server;

import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.SecretReference;
import io.appdb.operator.reconciler.TransientProblem;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads admin credentials from the Secret a DatabaseServer names. Admin Secrets are read by name
 * with a GET rather than from an informer so that the operator never caches Secrets it does not
 * manage; the optional label {@link #WATCH_LABEL} lets a dedicated informer notice rotations.
 */
public final class AdminSecrets {
  /** Label that makes the operator watch an admin Secret for changes. */
  public static final String WATCH_LABEL = "appdb.io/admin-credentials";

  private final KubernetesClient client;

  public AdminSecrets(KubernetesClient client) {
    this.client = client;
  }

  public AdminCredentials read(DatabaseServer server) {
    SecretReference ref = server.getSpec().getAdminSecretRef();
    if (ref == null || ref.getName() == null || ref.getNamespace() == null) {
      throw new TransientProblem(
          Reasons.ADMIN_SECRET_NOT_FOUND, "spec.adminSecretRef must name a Secret and namespace");
    }
    Secret secret = client.secrets().inNamespace(ref.getNamespace()).withName(ref.getName()).get();
    if (secret == null) {
      throw new TransientProblem(
          Reasons.ADMIN_SECRET_NOT_FOUND,
          "admin Secret " + ref.getNamespace() + "/" + ref.getName() + " does not exist");
    }
    String username = decode(secret, "username");
    String password = decode(secret, "password");
    if (username == null || username.isBlank() || password == null || password.isEmpty()) {
      throw new TransientProblem(
          Reasons.ADMIN_SECRET_NOT_FOUND,
          "admin Secret "
              + ref.getNamespace()
              + "/"
              + ref.getName()
              + " must have the keys 'username' and 'password'");
    }
    return new AdminCredentials(username, password);
  }

  private static String decode(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
    }
    // Admin Secrets are written by people, often with stringData; a real API server converts it,
    // the test mock does not, so accept both.
    Map<String, String> stringData = secret.getStringData();
    return stringData == null ? null : stringData.get(key);
  }
}
