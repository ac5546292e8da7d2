package io.appdb.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * JOSDK's resource cloner, through Jackson's token buffer instead of JSON text.
 *
 * <p>JOSDK clones the primary resource before each reconcile and before each write through {@code
 * PrimaryUpdateAndCacheUtils} (four times per created AppDatabase). Its default, fabric8's {@code
 * KubernetesSerialization.clone}, writes the object out as a JSON string and parses it back. {@code
 * convertValue} runs the same serializers and deserializers of the same mapper (so the copy is the
 * same, unknown fields included) over Jackson's in-memory token stream: no characters are written
 * or parsed. Jackson 2.10 and later always converts, never hands back the object itself.
 */
final class ResourceCloner implements Cloner {
  private final KubernetesSerialization serialization;

  ResourceCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> R clone(R object) {
    return (R) serialization.convertValue(object, object.getClass());
  }
}
