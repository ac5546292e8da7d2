package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the connection Secret is named and what it carries beyond the standard keys. */
public class SecretSpec {
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Secret. Default: <metadata.name>-db.")
  private String name;

  @JsonPropertyDescription(
      "Also write the servicebinding.io well-known keys (type, provider, host, port, database,"
          + " username, password, uri, jdbc-url).")
  private Boolean serviceBinding;

  @JsonPropertyDescription(
      "Extra keys rendered from templates. Placeholders: {{ .Username }}, {{ .Password }},"
          + " {{ .Host }}, {{ .Port }}, {{ .Database }}, {{ .Engine }}; anything else is"
          + " rejected.")
  private Map<String, String> template = new LinkedHashMap<>();

  @JsonPropertyDescription("Labels copied onto the Secret.")
  private Map<String, String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Annotations copied onto the Secret, e.g. for a reloader.")
  private Map<String, String> annotations = new LinkedHashMap<>();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getServiceBinding() {
    return serviceBinding;
  }

  public void setServiceBinding(Boolean serviceBinding) {
    this.serviceBinding = serviceBinding;
  }

  public Map<String, String> getTemplate() {
    return template;
  }

  public void setTemplate(Map<String, String> template) {
    this.template = template == null ? new LinkedHashMap<>() : template;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels == null ? new LinkedHashMap<>() : labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations == null ? new LinkedHashMap<>() : annotations;
  }

  public boolean serviceBindingEnabled() {
    return Boolean.TRUE.equals(serviceBinding);
  }
}
