package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The Service Binding "provisioned service" duck type: the name of the connection Secret. */
public class Binding {
  @JsonPropertyDescription("Name of the connection Secret in this namespace.")
  private String name;

  public Binding() {}

  public Binding(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Binding b && Objects.equals(name, b.name);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }
}
