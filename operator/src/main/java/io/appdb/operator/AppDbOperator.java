package io.appdb.operator;

import ch.qos.logback.classic.Logger;
import io.appdb.operator.config.Settings;
import io.appdb.operator.observability.HttpEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import org.slf4j.LoggerFactory;

/** main: settings -> client -> operator -> HTTP endpoints -> wait for SIGTERM. */
public final class AppDbOperator {
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(AppDbOperator.class);

  private AppDbOperator() {}

  public static void main(String[] args) throws IOException {
    JvmDefaults.apply();
    Settings settings;
    try {
      settings = Settings.fromEnv();
    } catch (IllegalArgumentException e) {
      System.err.println("appdb-operator: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    setLogLevel(settings);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withHttpClientFactory(new OperatorHttpClientFactory())
            .build();
    OperatorRuntime.Options options =
        OperatorRuntime.Options.defaults()
            .withWatchNamespaces(settings.watchNamespaces())
            .withResyncInterval(settings.resyncInterval())
            .withSqlTimeout(settings.sqlTimeout())
            .withLeaseNamespace(
                settings.leaderElection() ? settings.leaseNamespace().orElseThrow() : null)
            .withOperatorNamespace(settings.leaseNamespace().orElse(null))
            .withMeterRegistry(registry);
    // HTTP first: liveness answers while JOSDK waits for its caches; readiness follows the runtime.
    OperatorRuntime[] runtime = new OperatorRuntime[1];
    HttpEndpoints http =
        new HttpEndpoints(
            settings.httpPort(), () -> runtime[0] != null && runtime[0].healthy(), registry);
    http.start();
    runtime[0] = OperatorRuntime.start(client, options);
    log.info(
        "appdb-operator started: namespaces={}, resync={}, leaderElection={}, http port {}",
        settings.watchesAllNamespaces() ? "all" : settings.watchNamespaces(),
        settings.resyncInterval(),
        settings.leaderElection(),
        http.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("SIGTERM: stopping; in-flight reconciles get time to finish");
                  http.stop();
                  runtime[0].close();
                  client.close();
                },
                "appdb-shutdown"));
  }

  private static void setLogLevel(Settings settings) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.toLevel(settings.logLevel().name()));
    }
  }
}
