package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Options that only apply to the {@code mysql} engine. */
public class MySqlOptions {
  @Default("\"%\"")
  @Pattern("^[A-Za-z0-9.%_:-]{1,255}$")
  @JsonPropertyDescription(
      "Host part of the accounts the operator creates ('user'@'<userHost>'). Default '%'.")
  private String userHost = "%";

  public String getUserHost() {
    return userHost;
  }

  public void setUserHost(String userHost) {
    this.userHost = userHost;
  }
}
