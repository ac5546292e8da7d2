package io.appdb.operator;

import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * fabric8's OkHttp client, keeping enough idle connections for the operator's concurrency.
 *
 * <p>OkHttp's default pool keeps 5 idle connections per client. Over HTTP/1.1 each request in
 * flight needs a connection of its own, and up to 50 reconciles (JOSDK's default thread count) plus
 * the informers' lists write at once; after every burst OkHttp closes all but 5 and opens the rest
 * again for the next. In the benchmark (HTTP/1.1 to the mock API server, every client with 5 idle
 * connections) the API server accepted 0.63 new connections per AppDatabase created, and none with
 * this pool. Over HTTP/2 (a real kube-apiserver with TLS) OkHttp multiplexes one connection and the
 * pool size does not matter. The JDK client fabric8 used before keeps every connection until its
 * 20-minute idle timeout; this keeps {@value #IDLE_CONNECTIONS} for OkHttp's default 5 minutes.
 *
 * <p>fabric8 has no setting for the pool, so this subclasses its factory and uses its hook. The
 * operator's main method passes it to the client builder explicitly rather than through {@code
 * META-INF/services}, so that nothing else in a JVM that embeds the operator changes client.
 */
public class OperatorHttpClientFactory extends OkHttpClientFactory {
  /** JOSDK's 50 reconcile threads plus headroom for the informers' list and get calls. */
  static final int IDLE_CONNECTIONS = 64;

  private static final long KEEP_ALIVE_MINUTES = 5;

  @Override
  protected void additionalConfig(OkHttpClient.Builder builder) {
    builder.connectionPool(
        new ConnectionPool(IDLE_CONNECTIONS, KEEP_ALIVE_MINUTES, TimeUnit.MINUTES));
  }
}
