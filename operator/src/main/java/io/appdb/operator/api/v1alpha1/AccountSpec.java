package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One database user of an AppDatabase, with its own Secret and access level. */
public class AccountSpec {
  @Required
  @Pattern("^[a-z][a-z0-9]*$")
  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "Name of the account: lower-case letters and digits, starting with a letter. The user is"
          + " <databaseName>_<name> (shortened with a hash to fit), the Secret"
          + " <metadata.name>-db-<name>. Unique within the AppDatabase.")
  private String name;

  @Required
  @JsonPropertyDescription(
      "Owner: owns the database and its objects, the only account that may change the schema"
          + " (exactly one). ReadWrite: SELECT, INSERT, UPDATE, DELETE on every table and use of"
          + " every sequence the Owner creates, now and later. ReadOnly: SELECT only.")
  private AccountAccess access;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of this account's Secret. Default: <metadata.name>-db-<name>.")
  private String secretName;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Maximum concurrent connections of this account's user. Absent: none.")
  private Integer connectionLimit;

  public AccountSpec() {}

  public AccountSpec(String name, AccountAccess access) {
    this.name = name;
    this.access = access;
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

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public Integer getConnectionLimit() {
    return connectionLimit;
  }

  public void setConnectionLimit(Integer connectionLimit) {
    this.connectionLimit = connectionLimit;
  }
}
