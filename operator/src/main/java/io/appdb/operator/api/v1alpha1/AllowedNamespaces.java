package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** Which namespaces may bind AppDatabases to a server: listed by name OR matched by selector. */
public class AllowedNamespaces {
  @JsonPropertyDescription("Namespaces allowed by name.")
  private List<String> names = new ArrayList<>();

  @JsonPropertyDescription("Namespaces allowed by their labels.")
  private LabelSelector selector;

  public List<String> getNames() {
    return names;
  }

  public void setNames(List<String> names) {
    this.names = names == null ? new ArrayList<>() : names;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }
}
