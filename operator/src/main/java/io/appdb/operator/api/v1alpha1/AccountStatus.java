package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One provisioned account: its user on the server and its Secret in this namespace. */
public class AccountStatus {
  @JsonPropertyDescription("The account's name in spec.accounts.")
  private String name;

  @JsonPropertyDescription("Its access level.")
  private AccountAccess access;

  @JsonPropertyDescription("Name of its database user.")
  private String username;

  @JsonPropertyDescription("Name of its connection Secret in this namespace.")
  private String secret;

  public AccountStatus() {}

  public AccountStatus(String name, AccountAccess access, String username, String secret) {
    this.name = name;
    this.access = access;
    this.username = username;
    this.secret = secret;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public AccountAccess getAccess() {
    return access;
  }

  public void setAccess(AccountAccess access) {
    this.access = access;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getSecret() {
    return secret;
  }

  public void setSecret(String secret) {
    this.secret = secret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountStatus a
        && Objects.equals(name, a.name)
        && access == a.access
        && Objects.equals(username, a.username)
        && Objects.equals(secret, a.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, access, username, secret);
  }
}
