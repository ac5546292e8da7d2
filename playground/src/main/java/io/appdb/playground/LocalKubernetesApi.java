package io.appdb.playground;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode on plain HTTP at {@code
 * 127.0.0.1:<port>}, with the operator's CRDs created in it, plus what kubectl needs on top of
 * CRUD: discovery documents and server-side printer columns for the operator's resources.
 */
final class LocalKubernetesApi implements AutoCloseable {

  /** The port is taken by another process. */
  static final class PortInUseException extends Exception {
    PortInUseException(int port, Throwable cause) {
      super("port " + port + " on 127.0.0.1 is already in use", cause);
    }
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final int port;

  private LocalKubernetesApi(KubernetesMockServer server, int port) {
    this.server = server;
    this.port = port;
    this.client = server.createClient();
  }

  static LocalKubernetesApi start(int port) throws PortInUseException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ensureFree(loopback, port);
    List<CustomResourceDefinition> crds = OperatorCrds.load();
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    Dispatcher dispatcher =
        new KubectlFriendlyDispatcher(
            new KubernetesMixedDispatcher(expectations),
            DiscoveryDocuments.build(loopback.getHostAddress() + ":" + port, crds),
            new PrinterTables(crds));
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), expectations, dispatcher, false);
    try {
      server.init(loopback, port);
    } catch (RuntimeException e) {
      throw new PortInUseException(port, e);
    }
    LocalKubernetesApi api = new LocalKubernetesApi(server, port);
    // Created through the API, as `kubectl apply -f crds/` would, so that the CRUD dispatcher
    // learns their scope and `kubectl get crd` lists them.
    crds.forEach(crd -> api.client.resource(crd).create());
    return api;
  }

  KubernetesClient client() {
    return client;
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  /**
   * Fails early with a clear message: the mock server would report a taken port only as a bind
   * error from deep inside its HTTP server.
   */
  private static void ensureFree(InetAddress address, int port) throws PortInUseException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new PortInUseException(port, e);
    }
  }

  /** Discovery and Tables in front of the CRUD dispatcher; everything else goes to CRUD. */
  private static final class KubectlFriendlyDispatcher extends Dispatcher {
    private final Dispatcher crud;
    private final Map<String, String> discovery;
    private final PrinterTables tables;

    KubectlFriendlyDispatcher(
        Dispatcher crud, Map<String, String> discovery, PrinterTables tables) {
      this.crud = crud;
      this.discovery = discovery;
      this.tables = tables;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      int query = path.indexOf('?');
      String bare = query < 0 ? path : path.substring(0, query);
      boolean get = "GET".equals(request.getMethod());
      if (get && discovery.containsKey(bare)) {
        return json(200, discovery.get(bare));
      }
      if (get && (bare.startsWith("/openapi") || bare.startsWith("/swagger"))) {
        return json(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}");
      }
      MockResponse response = crud.dispatch(request);
      boolean watch = query >= 0 && path.substring(query).contains("watch=true");
      if (get
          && !watch
          && response.code() == 200
          && PrinterTables.wantsTable(request.getHeader("Accept"))) {
        String body = response.getBody().readUtf8();
        return tables
            .toTable(bare, body, Instant.now())
            .map(table -> json(200, table))
            .orElseGet(() -> json(200, body));
      }
      return response;
    }

    @Override
    public void shutdown() {
      crud.shutdown();
    }

    private static MockResponse json(int code, String body) {
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }
  }
}
