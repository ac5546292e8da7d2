package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;

/**
 * The bench's mock API server answers a WebSocket watch without compression, as kube-apiserver
 * does, and watches still work.
 */
class MockWebSocketsTest {

  @Test
  void theWatchHandshakeNegotiatesNoCompression() throws Exception {
    assertThat(extensionsAnswered(true)).isNull();
  }

  /** The control: fabric8's mock as it comes accepts OkHttp's offer of permessage-deflate. */
  @Test
  void fabric8sMockAsItComesCompresses() throws Exception {
    assertThat(extensionsAnswered(false)).startsWith("permessage-deflate");
  }

  @Test
  void watchEventsStillArrive() throws Exception {
    MockWebServer web = new MockWebServer();
    KubernetesMockServer api = crudServer(web);
    try (KubernetesClient client = api.createClient()) {
      MockWebSockets.withoutCompression(web);
      CompletableFuture<String> added = new CompletableFuture<>();
      try (var watch =
          client
              .configMaps()
              .inNamespace("default")
              .watch(
                  new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                      if (action == Action.ADDED) {
                        added.complete(resource.getData().get("k"));
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("c")
                    .endMetadata()
                    .addToData("k", "v".repeat(4096))
                    .build())
            .create();
        assertThat(added.get(10, TimeUnit.SECONDS)).hasSize(4096);
      }
    } finally {
      api.destroy();
    }
  }

  @Test
  void refusesAServerThatHasNotStarted() {
    MockWebServer web = new MockWebServer();
    assertThatThrownBy(() -> MockWebSockets.withoutCompression(web))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
  }

  private static KubernetesMockServer crudServer(MockWebServer web) {
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(), web, new HashMap<>(), new IndexedCrudDispatcher(false), false);
    api.init();
    return api;
  }

  /**
   * The Sec-WebSocket-Extensions header of a new mock's answer to an OkHttp watch handshake, with
   * or without {@link MockWebSockets#withoutCompression}.
   */
  private static String extensionsAnswered(boolean withoutCompression) throws Exception {
    MockWebServer web = new MockWebServer();
    KubernetesMockServer api = crudServer(web);
    try {
      if (withoutCompression) {
        MockWebSockets.withoutCompression(web);
      }
      return handshake(web);
    } finally {
      api.destroy();
    }
  }

  private static String handshake(MockWebServer web) throws Exception {
    OkHttpClient http = new OkHttpClient();
    CompletableFuture<Response> opened = new CompletableFuture<>();
    WebSocket socket =
        http.newWebSocket(
            new Request.Builder()
                .url(web.url("/api/v1/namespaces/default/configmaps?watch=true").toString())
                .build(),
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                opened.complete(response);
              }

              @Override
              public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                opened.completeExceptionally(t);
              }
            });
    try {
      Response response = opened.get(10, TimeUnit.SECONDS);
      assertThat(response.code()).isEqualTo(101);
      return response.header("Sec-WebSocket-Extensions");
    } finally {
      socket.cancel();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
