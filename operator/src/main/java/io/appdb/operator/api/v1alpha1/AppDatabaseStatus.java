package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class AppDatabaseStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Conditions: Ready, Reconciling, Stalled (kstatus).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The DatabaseServer the database lives on.")
  private String server;

  @JsonPropertyDescription("The server's engine: postgresql or mysql.")
  private Engine engine;

  @JsonPropertyDescription("Name of the database on the server.")
  private String databaseName;

  @JsonPropertyDescription("Name of the database user.")
  private String username;

  @JsonPropertyDescription("The connection Secret (Service Binding provisioned-service duck type).")
  private Binding binding;

  @JsonPropertyDescription(
      "The accounts of spec.accounts as provisioned: user and Secret of each. Absent without"
          + " spec.accounts.")
  private List<AccountStatus> accounts;

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

  public String getServer() {
    return server;
  }

  public void setServer(String server) {
    this.server = server;
  }

  public Engine getEngine() {
    return engine;
  }

  public void setEngine(Engine engine) {
    this.engine = engine;
  }

  public String getDatabaseName() {
    return databaseName;
  }

  public void setDatabaseName(String databaseName) {
    this.databaseName = databaseName;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public Binding getBinding() {
    return binding;
  }

  public void setBinding(Binding binding) {
    this.binding = binding;
  }

  public List<AccountStatus> getAccounts() {
    return accounts;
  }

  public void setAccounts(List<AccountStatus> accounts) {
    this.accounts = accounts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AppDatabaseStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(server, s.server)
        && engine == s.engine
        && Objects.equals(databaseName, s.databaseName)
        && Objects.equals(username, s.username)
        && Objects.equals(binding, s.binding)
        && Objects.equals(accounts, s.accounts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, conditions, server, engine, databaseName, username, binding, accounts);
  }
}
