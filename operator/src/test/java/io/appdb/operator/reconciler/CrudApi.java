package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/** The mock API server in CRUD mode, as in the operator ITs, with AppDatabases served. */
final class CrudApi implements AutoCloseable {
  private final KubernetesMockServer server;
  final KubernetesClient client;

  CrudApi() {
    server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesMixedDispatcher(new HashMap<>()),
            false);
    server.init();
    server.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(AppDatabase.class));
    client = server.createClient();
  }

  /** Requests the server has answered so far. */
  int requests() {
    return server.getRequestCount();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
