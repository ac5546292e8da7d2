package io.appdb.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.MockWebServerListener;
import io.fabric8.mockwebserver.http.RecordedHttpConnection;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drains the requests the mock API server records and counts them by who sent them (operator,
 * bench, limit; told apart by User-Agent), read or write, and kind (status, finalizer, secret,
 * event, ...), and the connections the server accepts (from every client: a connection cannot be
 * told apart by sender). Counters only grow; phases subtract snapshots.
 */
final class ApiRecorder implements AutoCloseable {
  static final String BENCH_AGENT = "appdb-bench";
  static final String LIMIT_AGENT = "appdb-limit";

  static final String OPERATOR = "operator";
  static final String BENCH = "bench";
  static final String LIMIT = "limit";

  /** Counter key of the connections the mock API server accepted, from any client. */
  static final String CONNECTIONS = "server|connections";

  private static final boolean DEBUG = Boolean.getBoolean("appdb.bench.debugApi");

  private final KubernetesMockServer api;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Thread drain;
  private volatile boolean running = true;
  private volatile long lastOperatorRequest = System.nanoTime();

  ApiRecorder(KubernetesMockServer api, MockWebServer server) {
    this.api = api;
    server.addListener(
        new MockWebServerListener() {
          @Override
          public void onConnection(RecordedHttpConnection connection) {
            counts.computeIfAbsent(CONNECTIONS, k -> new LongAdder()).increment();
          }
        });
    this.drain = new Thread(this::drainLoop, "bench-api-drain");
    drain.setDaemon(true);
    drain.start();
  }

  /** Counter keys: {@code actor|R or W|kind}, and {@link #CONNECTIONS}. */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /**
   * Waits until the operator has sent nothing for {@code quietMillis}, at most {@code maxMillis}.
   */
  void awaitOperatorQuiet(long quietMillis, long maxMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    while (System.nanoTime() < deadline) {
      long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastOperatorRequest);
      if (idle >= quietMillis) {
        return;
      }
      Sleep.millis(Math.max(50, quietMillis - idle));
    }
  }

  private void drainLoop() {
    while (running) {
      RecordedRequest r;
      try {
        r = api.takeRequest(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (r == null) {
        continue;
      }
      String actor = actor(r.getHeader("User-Agent"));
      if (actor.equals(OPERATOR)) {
        lastOperatorRequest = System.nanoTime();
      }
      boolean write = !"GET".equals(r.getMethod());
      if (DEBUG && write) {
        String body = body(r);
        System.err.printf(
            "api %s %s %s %s %s%n",
            actor,
            r.getMethod(),
            r.getPath(),
            r.getHeader("Content-Type"),
            body == null ? "" : body.substring(0, Math.min(300, body.length())));
      }
      String key = actor + "|" + (write ? "W" : "R") + "|" + kind(r);
      counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  static String actor(String userAgent) {
    if (userAgent == null) {
      return OPERATOR;
    }
    if (userAgent.startsWith(BENCH_AGENT)) {
      return BENCH;
    }
    if (userAgent.startsWith(LIMIT_AGENT)) {
      return LIMIT;
    }
    return OPERATOR;
  }

  /** A short kind from method and path. */
  static String kind(RecordedRequest r) {
    String path = r.getPath();
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] seg = (q < 0 ? path : path.substring(0, q)).split("/");
    // /api/v1/... or /apis/<group>/<version>/...
    int i = seg.length > 1 && seg[1].equals("api") ? 3 : 4;
    if (i < seg.length && seg[i].equals("namespaces") && seg.length > i + 2) {
      i += 2;
    }
    String resource = i < seg.length ? seg[i] : "?";
    boolean named = seg.length > i + 1;
    String sub = seg.length > i + 2 ? seg[i + 2] : "";
    String method = r.getMethod();
    switch (method) {
      case "GET":
        if (query.contains("watch=true")) {
          return "watch " + resource;
        }
        return (named ? "get " : "list ") + resource;
      case "POST":
        return switch (resource) {
          case "events" -> "event";
          case "secrets" -> "secret create";
          default -> "create " + resource;
        };
      case "PUT", "PATCH":
        if (sub.equals("status")) {
          return resource.equals("appdatabases") ? "status" : resource + " status";
        }
        // The operator changes no spec: a patch of the resource itself adds or removes its
        // finalizer (the body cannot be used: the mock consumes it concurrently).
        if (resource.equals("appdatabases")) {
          return "finalizer";
        }
        return resource.equals("secrets") ? "secret update" : resource + " finalizer";
      case "DELETE":
        return "delete " + resource;
      default:
        return method.toLowerCase(java.util.Locale.ROOT) + " " + resource;
    }
  }

  /**
   * A copy of the body, best effort (debug only). The mock dispatches the same request object after
   * recording it: consuming the body here would take it away from the dispatcher, and once the
   * dispatcher has read it the copy is empty.
   */
  private static String body(RecordedRequest r) {
    return r.getBody() == null
        ? null
        : new String(r.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    running = false;
    drain.interrupt();
  }
}
