package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class DatabaseServerStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Conditions: Ready, Reconciling, Stalled (kstatus).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Version string reported by the server, e.g. 'PostgreSQL 17.6'.")
  private String serverVersion;

  @JsonPropertyDescription("Number of AppDatabases currently bound to this server.")
  private Integer databases;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public String getServerVersion() {
    return serverVersion;
  }

  public void setServerVersion(String serverVersion) {
    this.serverVersion = serverVersion;
  }

  public Integer getDatabases() {
    return databases;
  }

  public void setDatabases(Integer databases) {
    this.databases = databases;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseServerStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(serverVersion, s.serverVersion)
        && Objects.equals(databases, s.databases);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, serverVersion, databases);
  }
}
