package io.appdb.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpEndpoints endpoints;

  @BeforeEach
  void start() throws IOException {
    endpoints = new HttpEndpoints(0, ready::get, registry);
    endpoints.start();
  }

  @AfterEach
  void stop() {
    endpoints.stop();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return request("GET", path);
  }

  @Test
  void portZeroBindsARandomPort() {
    assertThat(endpoints.port()).isPositive();
  }

  @Test
  void healthzIsOkWhileRunning() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void readyzFollowsTheSupplier() throws Exception {
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("not ready");

    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);

    ready.set(false);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void aReadinessCheckThatThrowsMeansNotReady() throws Exception {
    endpoints.stop();
    endpoints =
        new HttpEndpoints(
            0,
            () -> {
              throw new IllegalStateException("operator not started");
            },
            registry);
    endpoints.start();

    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreThePrometheusScrape() throws Exception {
    Counter.builder("appdb.test.events").tag("kind", "probe").register(registry).increment(3);

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE appdb_test_events_total counter")
        .contains("appdb_test_events_total{kind=\"probe\"} 3.0");
  }

  @Test
  void operatorMetricsShowUpUnderTheirPrometheusNames() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics(registry);
    metrics.recordSql("pg", "probe", Duration.ofMillis(12), true);
    metrics.registerAdminConnections("pg", () -> 2);

    String body = get("/metrics").body();

    assertThat(body)
        .contains("appdb_sql_statement_seconds_count{operation=\"probe\",server=\"pg\"} 1")
        .contains("appdb_sql_errors_total{operation=\"probe\",server=\"pg\"} 1.0")
        .contains("appdb_admin_connections_in_use{server=\"pg\"} 2.0")
        .contains("appdb_appdatabases{condition=\"Ready\"} 0.0");
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/healthz/extra").statusCode()).isEqualTo(404);
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    HttpResponse<String> response = request("POST", "/healthz");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void stopClosesThePort() throws Exception {
    int port = endpoints.port();
    endpoints.stop();

    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void portIsUnavailableBeforeStartAndStartTwiceFails() throws IOException {
    HttpEndpoints fresh = new HttpEndpoints(0, () -> true, registry);
    assertThatThrownBy(fresh::port).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(endpoints::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidPortsAreRejected() {
    assertThatThrownBy(() -> new HttpEndpoints(70000, () -> true, registry))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
