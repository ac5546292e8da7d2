package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kind of database server. {@code mysql} covers MySQL 8.0+ and MariaDB 10.5+. */
public enum Engine {
  @JsonProperty("postgresql")
  POSTGRESQL("postgresql", 5432),
  @JsonProperty("mysql")
  MYSQL("mysql", 3306);

  private final String value;
  private final int defaultPort;

  Engine(String value, int defaultPort) {
    this.value = value;
    this.defaultPort = defaultPort;
  }

  /** The lower-case name used in manifests, Secrets ({@code DB_TYPE}) and URLs. */
  public String value() {
    return value;
  }

  public int defaultPort() {
    return defaultPort;
  }
}
