package io.appdb.bench;

import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.lang.reflect.Field;

/**
 * Makes the mock API server answer watches as kube-apiserver does: without WebSocket compression.
 *
 * <p>fabric8's mock runs on Vert.x, which accepts the {@code permessage-deflate} extension that
 * OkHttp offers on every WebSocket. So each watch event was deflated on the mock's one event-loop
 * thread and inflated by the watching client: 0.3 ms of CPU per created AppDatabase in the
 * operator's window (K2, thirteenth session, async-profiler: {@code PerMessageDeflateEncoder} 136
 * of the event loop's 1032 samples), 0.1 ms in the limit's, on the same two cores as everything
 * else. kube-apiserver does not compress a watch's events: it serves WebSocket watches with Go's
 * {@code x/net/websocket}, which negotiates no extension, and its gzip compression is for responses
 * to lists and gets, not watches. The side with more watch events (the operator: its informers get
 * the finalizer, status and Secret events) paid more for a cost no real cluster has. Without a
 * profiler, turning it off took about 0.15 ms per create off the mock's CPU in the operator's
 * window and left the limit's windows as they were (README, "The mock API server's store").
 *
 * <p>fabric8's {@link MockWebServer} builds its Vert.x server options inside {@code start} with no
 * way to pass any. Vert.x reads the WebSocket extension settings from the server's own copy of the
 * options for each new connection ({@code HttpServerConnectionHandler}, Vert.x 4.5), so turning
 * them off after {@code start} and before the first client connects is enough. The reflection is on
 * fabric8 7.5.2 and Vert.x 4.5; {@code MockWebSocketsTest} checks the handshake's answer, so an
 * upgrade that moves either field fails the build.
 */
final class MockWebSockets {
  private MockWebSockets() {}

  /** Call right after the server has started, before any client connects. */
  static void withoutCompression(MockWebServer server) {
    HttpServerOptions options = serverOptions(server);
    options.setPerMessageWebSocketCompressionSupported(false);
    options.setPerFrameWebSocketCompressionSupported(false);
  }

  private static HttpServerOptions serverOptions(MockWebServer server) {
    try {
      Object httpServer = field(MockWebServer.class, "httpServer").get(server);
      if (!(httpServer instanceof HttpServer)) {
        throw new IllegalStateException("the mock API server has not started");
      }
      return (HttpServerOptions) field(httpServer.getClass(), "options").get(httpServer);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "fabric8's MockWebServer or Vert.x's HttpServerImpl changed; see MockWebSockets", e);
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
