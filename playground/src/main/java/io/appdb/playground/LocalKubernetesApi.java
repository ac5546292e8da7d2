package io.appdb.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.appdb.operator.OperatorHttpClientFactory;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Pattern;

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode on plain HTTP at {@code
 * 127.0.0.1:<port>}, aware of the operator's two resources, plus what kubectl needs on top of CRUD:
 * discovery documents and server-side printer columns for the operator's resources.
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

  // The mock server reports every request through java.util.logging at INFO; held here because
  // JUL keeps loggers only weakly.
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private LocalKubernetesApi(KubernetesMockServer server, int port) {
    this.server = server;
    this.port = port;
    this.client = server.createClient(new OperatorHttpClientFactory());
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
    // Registered as the operator's tests do. Creating the CRD objects instead would switch on the
    // mock's status-subresource handling, which cannot apply the JSON patches JOSDK sends.
    server.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(DatabaseServer.class));
    server.expectCustomResource(
        CustomResourceDefinitionContext.fromCustomResourceType(AppDatabase.class));
    return new LocalKubernetesApi(server, port);
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
      // As servers do, so that connections of a previous run lingering in TIME_WAIT do not count.
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new PortInUseException(port, e);
    }
  }

  /**
   * Discovery, Tables, event field selectors and strategic merge patches in front of the CRUD
   * dispatcher; everything else goes to CRUD as it is.
   */
  private static final class KubectlFriendlyDispatcher extends Dispatcher {
    private static final Pattern EVENTS = Pattern.compile("/api/v1/(?:namespaces/[^/]+/)?events");
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
      if (get && EVENTS.matcher(bare).matches() && query >= 0) {
        Map<String, String> selector = fieldSelector(path.substring(query + 1));
        if (!selector.isEmpty()) {
          return filteredEvents(request, bare, selector);
        }
      }
      if ("PATCH".equals(request.getMethod())
          && String.valueOf(request.getHeader("Content-Type"))
              .startsWith("application/strategic-merge-patch+json")) {
        // kubectl apply patches built-in kinds this way; the mock knows only JSON and merge
        // patches, and for the objects of the examples a merge patch has the same effect.
        request =
            new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                path,
                request
                    .getHeaders()
                    .newBuilder()
                    .set("Content-Type", "application/merge-patch+json")
                    .build(),
                request.getBody());
      }
      if (get && (bare.startsWith("/openapi") || bare.startsWith("/swagger"))) {
        return json(
            404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}");
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

    /**
     * kubectl describe asks for the events of one object by field selector, which the mock does not
     * understand (it answers with none); so the selector is applied here.
     */
    private MockResponse filteredEvents(
        RecordedRequest request, String bare, Map<String, String> selector) {
      MockResponse all =
          crud.dispatch(
              new RecordedRequest(
                  request.getHttpVersion(),
                  request.method(),
                  bare,
                  request.getHeaders(),
                  request.getBody()));
      if (all.code() != 200) {
        return all;
      }
      try {
        ObjectNode list = (ObjectNode) MAPPER.readTree(all.getBody().readUtf8());
        ArrayNode kept = MAPPER.createArrayNode();
        for (JsonNode event : list.withArray("items")) {
          boolean matches =
              selector.entrySet().stream()
                  .allMatch(
                      e -> {
                        JsonNode v = PrinterTables.select(event, "." + e.getKey());
                        // Absent fields select as empty, e.g. the namespace of a cluster object.
                        String actual = v == null || v.isNull() ? "" : v.asText();
                        return e.getValue().equals(actual);
                      });
          if (matches) {
            kept.add(event);
          }
        }
        list.set("items", kept);
        // The mock calls every list "List"; kubectl decodes events only from an EventList.
        list.put("kind", "EventList");
        return json(200, list.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Map<String, String> fieldSelector(String query) {
      Map<String, String> selector = new HashMap<>();
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("fieldSelector=")) {
          String value =
              URLDecoder.decode(
                  parameter.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
          for (String term : value.split(",")) {
            String[] kv = term.split("=", 2);
            if (kv.length == 2 && !kv[0].endsWith("!")) {
              selector.put(kv[0], kv[1]);
            }
          }
        }
      }
      return selector;
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
