package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

@ValidationRule(
    value = "self.engine == 'mysql' || !has(self.mysql)",
    message = "spec.mysql is only valid with engine: mysql")
public class DatabaseServerSpec {
  @Required
  @ValidationRule(value = "self == oldSelf", message = "engine is immutable")
  @JsonPropertyDescription(
      "Database engine: postgresql, or mysql (MySQL 8.0+ and MariaDB 10.5+). Immutable.")
  private Engine engine;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Host name or IP address the operator connects to.")
  private String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port the operator connects to. Defaults to 5432 or 3306 by engine.")
  private Integer port;

  @Required
  @JsonPropertyDescription(
      "Secret holding the admin credentials under the keys 'username' and 'password'. Label it"
          + " appdb.io/admin-credentials=true so that changes are picked up at once.")
  private SecretReference adminSecretRef;

  @JsonPropertyDescription(
      "Address written into application Secrets, when applications reach the server by another"
          + " name than the operator. Defaults to host/port.")
  private AppEndpoint appEndpoint;

  @JsonPropertyDescription(
      "Query parameters appended to DATABASE_URL and JDBC_URL, e.g. {sslmode: require}.")
  private Map<String, String> urlParameters = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Namespaces whose AppDatabases may use this server (listed by name OR matched by selector)."
          + " Absent: every namespace.")
  private AllowedNamespaces allowedNamespaces;

  @JsonPropertyDescription("MySQL-only options.")
  private MySqlOptions mysql;

  @Default("2")
  @Min(2)
  @Max(64)
  @JsonPropertyDescription(
      "Admin connections the operator may hold open to this server, at least 2 (on PostgreSQL one"
          + " of them serves the per-database work that a pool bound to one database cannot).")
  private Integer maxConnections = 2;

  public Engine getEngine() {
    return engine;
  }

  public void setEngine(Engine engine) {
    this.engine = engine;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public SecretReference getAdminSecretRef() {
    return adminSecretRef;
  }

  public void setAdminSecretRef(SecretReference adminSecretRef) {
    this.adminSecretRef = adminSecretRef;
  }

  public AppEndpoint getAppEndpoint() {
    return appEndpoint;
  }

  public void setAppEndpoint(AppEndpoint appEndpoint) {
    this.appEndpoint = appEndpoint;
  }

  public Map<String, String> getUrlParameters() {
    return urlParameters;
  }

  public void setUrlParameters(Map<String, String> urlParameters) {
    this.urlParameters = urlParameters == null ? new LinkedHashMap<>() : urlParameters;
  }

  public AllowedNamespaces getAllowedNamespaces() {
    return allowedNamespaces;
  }

  public void setAllowedNamespaces(AllowedNamespaces allowedNamespaces) {
    this.allowedNamespaces = allowedNamespaces;
  }

  public MySqlOptions getMysql() {
    return mysql;
  }

  public void setMysql(MySqlOptions mysql) {
    this.mysql = mysql;
  }

  public Integer getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(Integer maxConnections) {
    this.maxConnections = maxConnections;
  }

  /** The port the operator connects to, defaulted by engine. */
  public int effectivePort() {
    return port != null ? port : engine.defaultPort();
  }

  /** Host part of MySQL accounts, defaulted. */
  public String effectiveUserHost() {
    return mysql == null || mysql.getUserHost() == null ? "%" : mysql.getUserHost();
  }

  public int effectiveMaxConnections() {
    return maxConnections == null ? 2 : maxConnections;
  }
}
