package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.observability.HttpEndpoints;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator's HTTP port, wired as in main, answering against a running operator. */
class OperatorEndpointsIT {

  @Test
  void healthReadinessAndMetricsAnswer() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (OperatorHarness h =
            OperatorHarness.start(OperatorRuntime.Options.defaults().withMeterRegistry(registry));
        HttpEndpoints http = new HttpEndpoints(0, () -> h.runtime().healthy(), registry)) {
      http.start();
      HttpClient client = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(client, http.port(), "/readyz").statusCode() == 200);
      assertThat(get(client, http.port(), "/healthz").statusCode()).isEqualTo(200);
      // Something to reconcile, so that JOSDK's reconciliation meters exist.
      h.registerServer(
          "nowhere", io.appdb.operator.api.v1alpha1.Engine.MYSQL, "127.0.0.1", 1, "a", "b");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> metrics = get(client, http.port(), "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                    .contains("appdb_appdatabases")
                    .contains("operator_sdk_reconciliations_started")
                    .contains("appdb_sql_statement_seconds")
                    // HikariCP's own meters of the server's admin pool.
                    .contains("hikaricp_connections_acquire_seconds")
                    .contains("hikaricp_connections_usage_seconds")
                    .containsPattern("hikaricp_connections_max\\{pool=\"nowhere\",?\\} 2\\.0");
              });

      h.stopOperator();
      assertThat(get(client, http.port(), "/readyz").statusCode()).isEqualTo(503);
    }
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
