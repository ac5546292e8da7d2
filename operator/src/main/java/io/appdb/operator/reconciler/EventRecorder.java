package io.appdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that writes Kubernetes Events. Callers pass only names and reasons; messages are
 * built by callers from names, never from credentials. Failing to record an event never fails a
 * reconcile (events are best effort in Kubernetes too).
 */
public final class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "appdb-operator";
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final DirectWrites writes;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
    this.writes = new DirectWrites(client);
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    // Events about cluster-scoped objects live in "default", as kubectl describe expects.
    String namespace =
        about.getMetadata().getNamespace() != null ? about.getMetadata().getNamespace() : "default";
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    // A map rather than fabric8's Event model: serializing the model through its bean path, and
    // reading the reply back into one, were most of the cost of recording an event (JFR,
    // benchmark).
    Map<String, Object> involved = new LinkedHashMap<>();
    involved.put("apiVersion", about.getApiVersion());
    involved.put("kind", about.getKind());
    involved.put("name", about.getMetadata().getName());
    if (about.getMetadata().getNamespace() != null) {
      involved.put("namespace", about.getMetadata().getNamespace());
    }
    if (about.getMetadata().getUid() != null) {
      involved.put("uid", about.getMetadata().getUid());
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("apiVersion", "v1");
    event.put("kind", "Event");
    event.put(
        "metadata",
        Map.of(
            "namespace",
            namespace,
            "name",
            about.getMetadata().getName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)));
    event.put("involvedObject", involved);
    event.put("type", type);
    event.put("reason", reason);
    event.put("message", text);
    event.put("firstTimestamp", now);
    event.put("lastTimestamp", now);
    event.put("count", 1);
    event.put("source", Map.of("component", COMPONENT));
    event.put("reportingComponent", COMPONENT);
    try {
      writes.createIgnoringReply(
          Event.class, namespace, client.getKubernetesSerialization().asJson(event));
    } catch (KubernetesClientException e) {
      log.debug(
          "Could not record event {} on {}: HTTP {}",
          reason,
          about.getMetadata().getName(),
          e.getCode());
    }
  }
}
