package io.appdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes to the primary resource (status, finalizer) as JSON Patches built from the one change
 * being made, sent through JOSDK's {@link PrimaryUpdateAndCacheUtils#updateAndCacheResource}, so
 * that the next reconcile sees the result and a conflict is retried by JOSDK.
 *
 * <p>Removing the finalizer stays with JOSDK's {@code removeFinalizer}: the last one removed from a
 * deleted object deletes it, and there is nothing left to cache.
 *
 * <p>Why not JOSDK's {@code patchStatusAndCacheResource} and {@code addFinalizer}: both go through
 * fabric8's {@code edit}, which clones the resource through JSON and diffs two JSON trees to find a
 * change that is known here, on every write (in the benchmark's profile the clones alone were 7 %
 * of the operator's samples while creating). And why not a JSON merge patch ({@code
 * patchStatus()}): it cannot remove a status field that the new status no longer has (a merge patch
 * keeps what it does not name), where {@code add /status} replaces the whole stanza.
 *
 * <p>Every patch starts by setting {@code metadata.resourceVersion} to the version it was built on.
 * The API server takes a resourceVersion in the patched object as a precondition and answers 409
 * when the object changed in between; JOSDK then retries on the fresher copy, so a finalizer list
 * or status written by someone else in between is never overwritten. (A JSON Patch {@code test}
 * would say the same, but the mock API server used in the tests never answers a failed one.)
 *
 * <p>The patch is sent by {@link DirectWrites}: fabric8's {@code resource(..).patch(..)} first
 * clones the object it addresses through JSON, which was a third of the cost of each patch.
 */
final class PrimaryPatches {
  private PrimaryPatches() {}

  /** Replaces the status stanza with {@code status}. */
  static <P extends HasMetadata> P status(P resource, Context<P> context, Object status) {
    return write(resource, context, r -> setStatus(r, status), r -> statusOperation(status), true);
  }

  /** Adds {@code finalizer}, keeping any others. */
  static <P extends HasMetadata> P addFinalizer(P resource, Context<P> context, String finalizer) {
    return write(
        resource, context, r -> r.addFinalizer(finalizer), PrimaryPatches::finalizers, false);
  }

  /** Replaces the whole status stanza, so that fields the new status lacks are removed. */
  static Map<String, Object> statusOperation(Object status) {
    return Map.of("op", "add", "path", "/status", "value", status);
  }

  /** The whole list as changed; the resourceVersion lock makes replacing it safe. */
  static Map<String, Object> finalizers(HasMetadata changed) {
    List<String> list = changed.getMetadata().getFinalizers();
    return Map.of(
        "op", "add", "path", "/metadata/finalizers", "value", list == null ? List.of() : list);
  }

  /**
   * @param operation the patch operation for the changed resource; built from it inside JOSDK's
   *     update function, so that a retry after a conflict patches the fresher copy
   */
  private static <P extends HasMetadata> P write(
      P resource,
      Context<P> context,
      Consumer<P> change,
      Function<P, Map<String, Object>> operation,
      boolean statusOnly) {
    return PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        resource,
        context,
        r -> {
          change.accept(r);
          return r;
        },
        r -> send(context.getClient(), r, operation.apply(r), statusOnly));
  }

  /**
   * Sends {@code operation} for {@code changed}, locked to the resourceVersion {@code changed}
   * carries, to the status subresource when {@code statusOnly}; returns the stored object.
   */
  static <P extends HasMetadata> P send(
      KubernetesClient client, P changed, Map<String, Object> operation, boolean statusOnly) {
    List<Map<String, Object>> patch =
        List.of(
            Map.of(
                "op",
                "replace",
                "path",
                "/metadata/resourceVersion",
                "value",
                changed.getMetadata().getResourceVersion()),
            operation);
    String json = client.getKubernetesSerialization().asJson(patch);
    @SuppressWarnings("unchecked")
    Class<P> type = (Class<P>) changed.getClass();
    return new DirectWrites(client)
        .patch(
            type,
            changed.getMetadata().getNamespace(),
            changed.getMetadata().getName(),
            json,
            statusOnly);
  }

  @SuppressWarnings("unchecked")
  private static <P extends HasMetadata> void setStatus(P resource, Object status) {
    if (!(resource instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> custom)) {
      throw new IllegalArgumentException("no status on " + resource.getKind());
    }
    ((io.fabric8.kubernetes.client.CustomResource<?, Object>) custom).setStatus(status);
  }
}
