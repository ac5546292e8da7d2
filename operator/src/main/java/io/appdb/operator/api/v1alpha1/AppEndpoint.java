package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The address applications use, when it differs from the one the operator connects to. */
public class AppEndpoint {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Host name or IP address written into application Secrets.")
  private String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port written into application Secrets. Defaults to the server's port.")
  private Integer port;

  public AppEndpoint() {}

  public AppEndpoint(String host, Integer port) {
    this.host = host;
    this.port = port;
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
}
