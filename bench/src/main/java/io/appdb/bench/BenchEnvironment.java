package io.appdb.bench;

import io.appdb.operator.OperatorHttpClientFactory;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.DatabaseServerSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.SecretReference;
import io.appdb.operator.server.AdminSecrets;
import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Everything the run needs besides the operator: the mock API server in CRUD mode (as the
 * operator's integration tests use it), embedded PostgreSQL 17 and MariaDB 11.4 with their
 * DatabaseServers registered, the bench's own API clients, and the meters.
 */
final class BenchEnvironment implements AutoCloseable {
  static final String ADMIN_NAMESPACE = "appdb-system";
  static final String PG_SERVER = "bench-postgresql";
  static final String MARIADB_SERVER = "bench-mariadb";

  final KubernetesMockServer api;
  final KubernetesClient bench;
  final KubernetesClient limit;
  final PostgresServer pg;
  final MariaDbServer mariadb;
  final PostgresStats pgStats;
  final MariaDbStats mariadbStats;
  final ApiRecorder requests;
  final CpuMeter cpu;

  private BenchEnvironment(Path work, BenchOptions.Mock mock) {
    PgBinaries.prepare(work);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    MockWebServer server = new MockWebServer();
    api =
        new KubernetesMockServer(
            new Context(),
            server,
            expectations,
            mock == BenchOptions.Mock.STOCK
                ? new KubernetesMixedDispatcher(expectations)
                : new IndexedCrudDispatcher(false),
            false);
    api.init();
    MockWebSockets.withoutCompression(server);
    api.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(DatabaseServer.class));
    api.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(AppDatabase.class));
    cpu = new CpuMeter();
    requests = new ApiRecorder(api, server);
    // The bench's HTTP threads are claimed as they are made; the limit's count as the limit's
    // CPU, as the operator's client's threads count as the operator's.
    bench = client(ApiRecorder.BENCH_AGENT, new BenchHttpClients(cpu));
    limit = client(ApiRecorder.LIMIT_AGENT, new OperatorHttpClientFactory());

    pg = PostgresServer.shared(17);
    mariadb = MariaDbServer.shared();
    pgStats = new PostgresStats(pg, work);
    mariadbStats = new MariaDbStats(mariadb, work);
    register(PG_SERVER, Engine.POSTGRESQL, pg.port(), pg.adminUser(), pg.adminPassword());
    register(
        MARIADB_SERVER, Engine.MYSQL, mariadb.port(), mariadb.adminUser(), mariadb.adminPassword());
  }

  static BenchEnvironment start(Path work, BenchOptions.Mock mock) {
    return new BenchEnvironment(work, mock);
  }

  /**
   * The client the operator gets: the mock's, with the default User-Agent and the HTTP client
   * factory the operator's main method uses.
   */
  KubernetesClient operatorClient() {
    return api.createClient(new OperatorHttpClientFactory());
  }

  private KubernetesClient client(String userAgent, HttpClient.Factory http) {
    try (KubernetesClient base = api.createClient()) {
      return new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(base.getConfiguration()).withUserAgent(userAgent).build())
          .withHttpClientFactory(http)
          .build();
    }
  }

  DatabaseServer server(Engine engine) {
    return bench.resources(DatabaseServer.class).withName(serverName(engine)).get();
  }

  static String serverName(Engine engine) {
    return engine == Engine.POSTGRESQL ? PG_SERVER : MARIADB_SERVER;
  }

  void namespace(String name) {
    bench
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  private void register(String name, Engine engine, int port, String user, String password) {
    namespace(ADMIN_NAMESPACE);
    bench
        .secrets()
        .inNamespace(ADMIN_NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name + "-admin")
                .withNamespace(ADMIN_NAMESPACE)
                .withLabels(Map.of(AdminSecrets.WATCH_LABEL, "true"))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of("username", b64(user), "password", b64(password)))
                .build())
        .createOr(s -> s.update());
    DatabaseServer server = new DatabaseServer();
    server.getMetadata().setName(name);
    DatabaseServerSpec spec = new DatabaseServerSpec();
    spec.setEngine(engine);
    spec.setHost(PostgresServer.HOST);
    spec.setPort(port);
    spec.setAdminSecretRef(new SecretReference(name + "-admin", ADMIN_NAMESPACE));
    server.setSpec(spec);
    bench.resource(server).createOr(s -> s.update());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    requests.close();
    cpu.close();
    pgStats.close();
    mariadbStats.close();
    bench.close();
    limit.close();
    api.destroy();
  }
}
