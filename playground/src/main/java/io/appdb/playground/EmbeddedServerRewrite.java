package io.appdb.playground;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DatabaseServerSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.SecretReference;
import io.appdb.operator.server.AdminSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the examples, written for a real cluster, into manifests that work here: each
 * DatabaseServer points at the embedded server of its engine, its admin Secret holds that server's
 * admin credentials, and what cannot work locally (TLS parameters, a proxy endpoint) is removed.
 * Every change is described in {@link #notes()} so the output says what differs from the files.
 */
final class EmbeddedServerRewrite {

  /** Where the operator reaches one embedded server, and as whom. */
  record Endpoint(String host, int port, String adminUser, String adminPassword, String version) {}

  private static final List<String> APPLY_ORDER =
      List.of("Namespace", "Secret", "DatabaseServer", "AppDatabase");

  private final KubernetesSerialization json = new KubernetesSerialization();
  private final Map<Engine, Endpoint> endpoints;
  private final List<String> notes = new ArrayList<>();

  EmbeddedServerRewrite(Map<Engine, Endpoint> endpoints) {
    this.endpoints = endpoints;
  }

  /** The resources to apply, in an order a person would apply them. */
  List<HasMetadata> rewrite(List<ExampleManifests.Manifest> manifests) {
    Map<String, Endpoint> adminSecrets = new LinkedHashMap<>();
    List<HasMetadata> resources = new ArrayList<>();
    for (ExampleManifests.Manifest m : lastDefinitions(manifests)) {
      HasMetadata r = m.resource();
      switch (r.getKind()) {
        case "DatabaseServer" ->
            resources.add(server(json.convertValue(r, DatabaseServer.class), adminSecrets));
        case "AppDatabase" -> resources.add(json.convertValue(r, AppDatabase.class));
        case "Secret" -> resources.add(r);
        case "Namespace" -> resources.add(r);
        default -> {
          resources.add(r);
          if ("Deployment".equals(r.getKind())) {
            notes.add(
                "Deployment "
                    + r.getMetadata().getNamespace()
                    + "/"
                    + r.getMetadata().getName()
                    + " is stored by the API, but nothing runs Pods here: it never starts");
          }
        }
      }
    }
    List<HasMetadata> out = new ArrayList<>();
    for (HasMetadata r : resources) {
      out.add(r instanceof Secret s ? secret(s, adminSecrets) : r);
    }
    adminSecrets.forEach(
        (key, endpoint) -> {
          String[] nsName = key.split("/", 2);
          Secret missing =
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(nsName[0])
                  .withName(nsName[1])
                  .endMetadata()
                  .withType("Opaque")
                  .build();
          out.add(adminSecret(missing, endpoint));
        });
    out.sort(Comparator.comparingInt(EmbeddedServerRewrite::rank));
    return out;
  }

  /**
   * Some examples are alternatives that define the same object; as with {@code kubectl apply -f
   * examples/}, the file applied last (by name) wins, and the output says which one was replaced.
   */
  private List<ExampleManifests.Manifest> lastDefinitions(List<ExampleManifests.Manifest> all) {
    Map<String, ExampleManifests.Manifest> byObject = new LinkedHashMap<>();
    for (ExampleManifests.Manifest m : all) {
      HasMetadata r = m.resource();
      String object =
          r.getKind()
              + " "
              + (r.getMetadata().getNamespace() == null ? "" : r.getMetadata().getNamespace() + "/")
              + r.getMetadata().getName();
      ExampleManifests.Manifest earlier = byObject.remove(object);
      if (earlier != null) {
        notes.add(
            object
                + " is defined in "
                + earlier.file()
                + " and in "
                + m.file()
                + "; the later file wins, as with kubectl apply -f examples/");
      }
      byObject.put(object, m);
    }
    return List.copyOf(byObject.values());
  }

  List<String> notes() {
    return notes;
  }

  private DatabaseServer server(DatabaseServer server, Map<String, Endpoint> adminSecrets) {
    DatabaseServerSpec spec = server.getSpec();
    Endpoint endpoint = endpoints.get(spec.getEngine());
    String name = server.getMetadata().getName();
    notes.add(
        "DatabaseServer "
            + name
            + ": "
            + spec.getHost()
            + ":"
            + spec.effectivePort()
            + " -> "
            + endpoint.host()
            + ":"
            + endpoint.port()
            + " (embedded "
            + endpoint.version()
            + ")");
    spec.setHost(endpoint.host());
    spec.setPort(endpoint.port());
    if (spec.getUrlParameters() != null && !spec.getUrlParameters().isEmpty()) {
      notes.add(
          "DatabaseServer "
              + name
              + ": urlParameters "
              + spec.getUrlParameters()
              + " removed: the embedded servers run without TLS");
      spec.setUrlParameters(null);
    }
    if (spec.getAppEndpoint() != null) {
      notes.add(
          "DatabaseServer "
              + name
              + ": appEndpoint "
              + spec.getAppEndpoint().getHost()
              + ":"
              + spec.getAppEndpoint().getPort()
              + " removed: no proxy runs here, so Secrets name the server itself");
      spec.setAppEndpoint(null);
    }
    SecretReference ref = spec.getAdminSecretRef();
    adminSecrets.put(ref.getNamespace() + "/" + ref.getName(), endpoint);
    return server;
  }

  /**
   * Admin Secrets get the embedded admin; every Secret gets {@code data}, as an API server does.
   */
  private Secret secret(Secret secret, Map<String, Endpoint> adminSecrets) {
    String key = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    Endpoint endpoint = adminSecrets.remove(key);
    if (endpoint != null) {
      return adminSecret(secret, endpoint);
    }
    if (secret.getStringData() == null || secret.getStringData().isEmpty()) {
      return secret;
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      data.putAll(secret.getData());
    }
    secret.getStringData().forEach((k, v) -> data.put(k, base64(v)));
    return new SecretBuilder(secret).withData(data).withStringData(null).build();
  }

  private Secret adminSecret(Secret secret, Endpoint endpoint) {
    notes.add(
        "Secret "
            + secret.getMetadata().getNamespace()
            + "/"
            + secret.getMetadata().getName()
            + ": the embedded server's least-privileged admin "
            + endpoint.adminUser()
            + " and its generated password");
    return new SecretBuilder(secret)
        .editMetadata()
        .addToLabels(AdminSecrets.WATCH_LABEL, "true")
        .endMetadata()
        .withStringData(null)
        .withData(
            Map.of(
                "username", base64(endpoint.adminUser()),
                "password", base64(endpoint.adminPassword())))
        .build();
  }

  private static int rank(HasMetadata r) {
    int i = APPLY_ORDER.indexOf(r.getKind());
    return i < 0 ? APPLY_ORDER.size() : i;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
