package io.appdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The writes every new AppDatabase costs (Secret create, event, finalizer and status patches), sent
 * with the fabric8 client's own HTTP client, so with its configuration, credentials, User-Agent,
 * request timeout and retry, but without its resource DSL.
 *
 * <p>Why not the DSL: per request it clones the addressed object through JSON before a patch,
 * builds the URL with regular expressions, and deserializes every reply, the event's included,
 * which nothing reads. In the benchmark's profile (JFR, 1000 AppDatabases created at once) those
 * were a third of the cost of each of these writes; the writes were a quarter of the operator's
 * CPU. Everything else (reads, deletes, updates, rare writes) keeps using the DSL.
 *
 * <p>A failure is the same {@link KubernetesClientException} the DSL throws, built by fabric8's own
 * {@link OperationSupport#createStatus} and {@link OperationSupport#requestFailure}, so that
 * callers and JOSDK's retry on conflict (409) see no difference.
 */
final class DirectWrites {
  private static final String JSON = "application/json";
  private static final String JSON_PATCH = "application/json-patch+json";

  /**
   * Collection path prefix by type ({@code /apis/<group>/<version>}), read once from annotations.
   */
  private static final ClassValue<String[]> API_PATH =
      new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
          String group = HasMetadata.getGroup(type);
          String version = HasMetadata.getVersion(type);
          String prefix =
              group == null || group.isEmpty()
                  ? "/api/" + version
                  : "/apis/" + group + "/" + version;
          return new String[] {prefix, "/" + HasMetadata.getPlural(type)};
        }
      };

  private final KubernetesClient client;

  DirectWrites(KubernetesClient client) {
    this.client = client;
  }

  /** Creates {@code resource} in its namespace; returns the stored object. */
  @SuppressWarnings("unchecked")
  <T extends HasMetadata> T create(T resource) {
    String body = client.getKubernetesSerialization().asJson(resource);
    HttpResponse<byte[]> reply =
        send(
            "POST",
            collection(resource.getClass(), resource.getMetadata().getNamespace()),
            JSON,
            body);
    return (T) read(reply, resource.getClass());
  }

  /**
   * Creates an object of {@code type} from its JSON, without reading the reply: for writes whose
   * result nothing uses (events).
   */
  void createIgnoringReply(Class<? extends HasMetadata> type, String namespace, String json) {
    send("POST", collection(type, namespace), JSON, json);
  }

  /**
   * Applies the JSON Patch {@code patch} to the object of {@code type} named {@code name}, or to
   * its status subresource; returns the stored object.
   */
  <T extends HasMetadata> T patch(
      Class<T> type, String namespace, String name, String patch, boolean status) {
    String path = collection(type, namespace) + "/" + name + (status ? "/status" : "");
    return read(send("PATCH", path, JSON_PATCH, patch), type);
  }

  /**
   * The collection's path; {@code namespace} is null for cluster-scoped types. Namespaces and names
   * need no escaping: the API server accepts only DNS labels and subdomains for both.
   */
  static String collection(Class<? extends HasMetadata> type, String namespace) {
    String[] path = API_PATH.get(type);
    return namespace == null ? path[0] + path[1] : path[0] + "/namespaces/" + namespace + path[1];
  }

  private HttpResponse<byte[]> send(String method, String path, String contentType, String body) {
    HttpClient http = client.getHttpClient();
    String master = client.getMasterUrl().toString();
    String base = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(base + path)
            .method(method, contentType, body)
            .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS)
            .build();
    HttpResponse<byte[]> reply;
    try {
      reply = http.sendAsync(request, byte[].class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException();
      interrupted.initCause(e);
      throw KubernetesClientException.launderThrowable(interrupted);
    } catch (ExecutionException e) {
      // As fabric8's own wait does: every failure is a KubernetesClientException, with the code
      // kept, so that callers catching it (events are best effort) see what they saw before.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof KubernetesClientException k) {
        throw k.copyAsCause();
      }
      throw new KubernetesClientException(cause.getMessage(), cause);
    }
    if (!reply.isSuccessful()) {
      throw OperationSupport.requestFailure(
          request, OperationSupport.createStatus(reply, client.getKubernetesSerialization()));
    }
    return reply;
  }

  private <T> T read(HttpResponse<byte[]> reply, Class<T> type) {
    return client
        .getKubernetesSerialization()
        .unmarshal(new ByteArrayInputStream(reply.body()), type);
  }
}
