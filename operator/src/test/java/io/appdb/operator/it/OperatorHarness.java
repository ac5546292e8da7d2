package io.appdb.operator.it;

import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DatabaseServerSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.SecretReference;
import io.appdb.operator.server.AdminSecrets;
import io.appdb.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A mock Kubernetes API server in CRUD mode with the real operator running against it. Database
 * servers are real (see the {@code testing} package); only Kubernetes is simulated.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String ADMIN_NAMESPACE = "appdb-system";

  private final KubernetesMockServer api;
  private final KubernetesClient client;
  private OperatorRuntime runtime;
  private final OperatorRuntime.Options options;

  private OperatorHarness(OperatorRuntime.Options options) {
    this.options = options;
    // CRUD behaviour, plus expectations (set with api().expect()) that take precedence.
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    api.init();
    api.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(DatabaseServer.class));
    api.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(AppDatabase.class));
    client = api.createClient();
  }

  public static OperatorHarness start() {
    return start(OperatorRuntime.Options.defaults().withSqlTimeout(Duration.ofSeconds(5)));
  }

  public static OperatorHarness start(OperatorRuntime.Options options) {
    OperatorHarness h = new OperatorHarness(options);
    h.startOperator();
    return h;
  }

  public void startOperator() {
    runtime = OperatorRuntime.start(client, options);
  }

  public void stopOperator() {
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public KubernetesMockServer api() {
    return api;
  }

  public OperatorRuntime runtime() {
    return runtime;
  }

  public void namespace(String name, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .createOr(n -> n.update());
  }

  /** Creates (or replaces) the admin Secret and the DatabaseServer pointing at a real server. */
  public DatabaseServer registerServer(
      String name, Engine engine, String host, int port, String adminUser, String adminPassword) {
    return registerServer(name, engine, host, port, adminUser, adminPassword, spec -> {});
  }

  public DatabaseServer registerServer(
      String name,
      Engine engine,
      String host,
      int port,
      String adminUser,
      String adminPassword,
      java.util.function.Consumer<DatabaseServerSpec> customize) {
    writeAdminSecret(name + "-admin", adminUser, adminPassword);
    DatabaseServer server = new DatabaseServer();
    server.getMetadata().setName(name);
    DatabaseServerSpec spec = new DatabaseServerSpec();
    spec.setEngine(engine);
    spec.setHost(host);
    spec.setPort(port);
    spec.setAdminSecretRef(new SecretReference(name + "-admin", ADMIN_NAMESPACE));
    customize.accept(spec);
    server.setSpec(spec);
    return client.resource(server).createOr(s -> s.update());
  }

  public void writeAdminSecret(String name, String user, String password) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ADMIN_NAMESPACE)
            .withLabels(Map.of(AdminSecrets.WATCH_LABEL, "true"))
            .endMetadata()
            .withType("Opaque")
            .withData(Map.of("username", b64(user), "password", b64(password)))
            .build();
    client.secrets().inNamespace(ADMIN_NAMESPACE).resource(secret).createOr(s -> s.update());
  }

  public AppDatabase create(AppDatabase adb) {
    return client.resource(adb).create();
  }

  public AppDatabase get(String namespace, String name) {
    return client.resources(AppDatabase.class).inNamespace(namespace).withName(name).get();
  }

  public DatabaseServer server(String name) {
    return client.resources(DatabaseServer.class).withName(name).get();
  }

  public AppDatabase awaitCondition(
      String namespace, String name, String type, String status, String reason) {
    return awaitAppDatabase(
        namespace, name, Duration.ofSeconds(60), adb -> has(adb, type, status, reason));
  }

  public AppDatabase awaitReady(String namespace, String name) {
    return awaitAppDatabase(
        namespace,
        name,
        Duration.ofSeconds(60),
        adb ->
            has(adb, Conditions.READY, "True", null)
                && adb.getStatus().getObservedGeneration() != null
                && adb.getStatus()
                    .getObservedGeneration()
                    .equals(adb.getMetadata().getGeneration()));
  }

  public AppDatabase awaitAppDatabase(
      String namespace, String name, Duration timeout, Predicate<AppDatabase> condition) {
    Object[] last = new Object[1];
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .alias("AppDatabase " + namespace + "/" + name)
        .until(
            () -> {
              AppDatabase adb = get(namespace, name);
              last[0] = adb;
              return adb != null && condition.test(adb);
            });
    return (AppDatabase) last[0];
  }

  public DatabaseServer awaitServer(String name, String status, String reason) {
    Object[] last = new Object[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .alias("DatabaseServer " + name)
        .until(
            () -> {
              DatabaseServer s = server(name);
              last[0] = s;
              return s != null
                  && s.getStatus() != null
                  && matches(s.getStatus().getConditions(), Conditions.READY, status, reason);
            });
    return (DatabaseServer) last[0];
  }

  public static boolean has(AppDatabase adb, String type, String status, String reason) {
    return adb.getStatus() != null
        && matches(adb.getStatus().getConditions(), type, status, reason);
  }

  private static boolean matches(
      List<Condition> conditions, String type, String status, String reason) {
    Optional<Condition> c = Conditions.find(conditions, type);
    return c.isPresent()
        && status.equals(c.get().getStatus())
        && (reason == null || reason.equals(c.get().getReason()));
  }

  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  /** The Secret's data, decoded. */
  public Map<String, String> secretData(String namespace, String name) {
    Secret s = secret(namespace, name).orElseThrow();
    Map<String, String> out = new LinkedHashMap<>();
    s.getData()
        .forEach(
            (k, v) ->
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }

  public List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }

  /** Drops the requests recorded so far and returns them. */
  public List<RecordedRequest> drainRequests() {
    List<RecordedRequest> out = new ArrayList<>();
    try {
      RecordedRequest r;
      while ((r = api.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        out.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  public static List<RecordedRequest> writes(List<RecordedRequest> requests) {
    return requests.stream().filter(r -> !"GET".equals(r.getMethod())).toList();
  }

  public static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    api.destroy();
  }
}
