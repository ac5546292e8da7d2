package io.appdb.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.MockWebServerListener;
import io.fabric8.mockwebserver.http.RecordedHttpConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP/1.1 each request in flight holds a connection; the operator's client must keep them
 * between bursts instead of closing all but 5 and opening them again.
 */
class OperatorHttpClientFactoryTest {
  private static final int IN_FLIGHT = 20;
  private static final String PATH = "/api/v1/namespaces/app/secrets/s";

  private final AtomicInteger connections = new AtomicInteger();
  private KubernetesMockServer api;
  private ExecutorService threads;

  @BeforeEach
  void start() {
    MockWebServer server = new MockWebServer();
    server.addListener(
        new MockWebServerListener() {
          @Override
          public void onConnection(RecordedHttpConnection connection) {
            connections.incrementAndGet();
          }
        });
    api = new KubernetesMockServer(server, new HashMap<>(), false);
    api.init();
    Secret secret = new SecretBuilder().withNewMetadata().withName("s").endMetadata().build();
    // Held for a while by the server, so that every request of a burst is in flight at once.
    api.expect()
        .get()
        .delay(300, TimeUnit.MILLISECONDS)
        .withPath(PATH)
        .andReturn(200, secret)
        .always();
    threads = Executors.newFixedThreadPool(IN_FLIGHT);
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
    api.destroy();
  }

  @Test
  void theConnectionsOfOneBurstServeTheNext() {
    int opened = connectionsForTwoBursts(new OperatorHttpClientFactory());

    assertThat(opened).isEqualTo(IN_FLIGHT);
  }

  /** The comparison that shows the test can fail: fabric8's factory as it comes. */
  @Test
  void fabric8sDefaultPoolReopensAllButFive() {
    int opened = connectionsForTwoBursts(new OkHttpClientFactory());

    assertThat(opened).isEqualTo(IN_FLIGHT + IN_FLIGHT - 5);
  }

  private int connectionsForTwoBursts(HttpClient.Factory factory) {
    try (KubernetesClient client = api.createClient(factory)) {
      burst(client);
      int first = connections.get();
      assertThat(first).isEqualTo(IN_FLIGHT);
      // OkHttp closes surplus idle connections from a background task, soon after they go idle.
      pause();
      burst(client);
      return connections.get();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void burst(KubernetesClient client) {
    List<CompletableFuture<Secret>> calls = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> client.secrets().inNamespace("app").withName("s").get(), threads));
    }
    calls.forEach(c -> assertThat(c.join().getMetadata().getName()).isEqualTo("s"));
  }
}
