package io.appdb.operator.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness, readiness and Prometheus metrics on one port.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} rather than a web framework: the whole
 * surface is one port and three GET routes, and the JDK server needs no extra dependency, no
 * configuration and starts in milliseconds.
 */
public final class HttpEndpoints implements AutoCloseable {

  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

  private final int requestedPort;
  private final BooleanSupplier ready;
  private final PrometheusMeterRegistry registry;
  private volatile boolean shuttingDown;
  private HttpServer server;
  private ExecutorService executor;

  /**
   * @param port port to listen on, all interfaces; 0 picks a free one (see {@link #port()})
   * @param ready asked on every /readyz; true when the controllers' event sources are healthy
   * @param registry scraped on every /metrics
   */
  public HttpEndpoints(int port, BooleanSupplier ready, PrometheusMeterRegistry registry) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, was " + port);
    }
    this.requestedPort = port;
    this.ready = Objects.requireNonNull(ready, "ready");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer created = HttpServer.create(new InetSocketAddress(requestedPort), 0);
    created.createContext("/", this::handle);
    // Two threads, so a slow scrape never delays a kubelet probe into a restart.
    executor = Executors.newFixedThreadPool(2, daemonThreads());
    created.setExecutor(executor);
    created.start();
    server = created;
    log.info("Health and metrics endpoints listening on port {}", port());
  }

  /** The port actually bound; differs from the constructor's only when that was 0. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /**
   * Fails /healthz from now on and closes the port, giving requests in flight up to a second. Safe
   * to call more than once.
   */
  public synchronized void stop() {
    shuttingDown = true;
    if (server != null) {
      server.stop(1);
      executor.shutdownNow();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, TEXT, "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> health(exchange);
        case "/readyz" -> readiness(exchange);
        case "/metrics" -> respond(exchange, 200, METRICS_CONTENT_TYPE, registry.scrape());
        default -> respond(exchange, 404, TEXT, "not found\n");
      }
    } catch (RuntimeException e) {
      // The JDK server drops the connection silently on an uncaught exception; log it instead.
      log.warn("HTTP endpoint {} failed", exchange.getRequestURI().getPath(), e);
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    if (shuttingDown) {
      respond(exchange, 503, TEXT, "shutting down\n");
    } else {
      respond(exchange, 200, TEXT, "ok\n");
    }
  }

  private void readiness(HttpExchange exchange) throws IOException {
    boolean isReady;
    try {
      isReady = !shuttingDown && ready.getAsBoolean();
    } catch (RuntimeException e) {
      log.debug("Readiness check failed", e);
      isReady = false;
    }
    if (isReady) {
      respond(exchange, 200, TEXT, "ready\n");
    } else {
      respond(exchange, 503, TEXT, "not ready: event sources are not healthy yet\n");
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "appdb-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
