package io.appdb.operator.server;

import io.appdb.operator.api.v1alpha1.AllowedNamespaces;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a namespace may use a server ({@code spec.allowedNamespaces}): allowed when
 * listed by name OR matched by the selector; everything is allowed when the field is absent.
 *
 * <p>Selector matching is written here because fabric8 offers no client-side matcher for a {@link
 * LabelSelector}; it follows the semantics of apimachinery's {@code LabelSelectorAsSelector} (an
 * empty selector matches everything, an unknown operator matches nothing).
 */
public final class NamespacePolicy {
  private NamespacePolicy() {}

  /** True when the rule needs the namespace's labels (so the caller only fetches them then). */
  public static boolean needsLabels(AllowedNamespaces allowed, String namespace) {
    return allowed != null
        && !allowed.getNames().contains(namespace)
        && allowed.getSelector() != null;
  }

  public static boolean allows(
      AllowedNamespaces allowed, String namespace, Map<String, String> namespaceLabels) {
    if (allowed == null) {
      return true;
    }
    if (allowed.getNames().contains(namespace)) {
      return true;
    }
    return allowed.getSelector() != null
        && matches(allowed.getSelector(), namespaceLabels == null ? Map.of() : namespaceLabels);
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> matchLabels = selector.getMatchLabels();
    if (matchLabels != null) {
      for (Map.Entry<String, String> e : matchLabels.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions != null) {
      for (LabelSelectorRequirement r : expressions) {
        if (!matches(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
