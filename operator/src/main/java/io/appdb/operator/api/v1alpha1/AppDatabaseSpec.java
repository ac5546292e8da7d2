package io.appdb.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@ValidationRule(
    value = "has(self.databaseName) == has(oldSelf.databaseName)",
    message = "databaseName cannot be added or removed after creation")
@ValidationRule(
    value = "has(self.username) == has(oldSelf.username)",
    message = "username cannot be added or removed after creation")
@ValidationRule(
    value = "has(self.serverRef) == has(oldSelf.serverRef)",
    message = "serverRef cannot be added or removed after creation")
@ValidationRule(
    value = "!has(self.accounts) || !has(self.connectionLimit)",
    message = "with accounts, set accounts[].connectionLimit instead of connectionLimit")
@ValidationRule(
    value = "!has(self.accounts) || !has(self.secret) || !has(self.secret.name)",
    message = "with accounts, set accounts[].secretName instead of secret.name")
public class AppDatabaseSpec {
  @ValidationRule(value = "self == oldSelf", message = "serverRef is immutable")
  @JsonPropertyDescription(
      "The DatabaseServer to create the database on. Optional when exactly one server carries"
          + " the annotation appdb.io/default-server=\"true\". Immutable.")
  private ServerRef serverRef;

  @Pattern("^[a-z][a-z0-9_]*$")
  @Size(min = 1, max = 64)
  @ValidationRule(value = "self == oldSelf", message = "databaseName is immutable")
  @JsonPropertyDescription(
      "Name of the database on the server: lower-case letters, digits and '_', starting with a"
          + " letter; at most 63 bytes on PostgreSQL and 64 characters on MySQL. Default:"
          + " <namespace>_<name>, shortened with a hash to fit. Immutable.")
  private String databaseName;

  @Pattern("^[a-z][a-z0-9_]*$")
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self == oldSelf", message = "username is immutable")
  @JsonPropertyDescription(
      "Name of the database user that owns the database (with accounts: the Owner account's"
          + " user): same characters as databaseName; at most 63 bytes on PostgreSQL and 32"
          + " characters on MySQL. Default: <databaseName>_user, or with accounts"
          + " <databaseName>_<owner account>, shortened to fit. Immutable.")
  private String username;

  @Default("Retain")
  @JsonPropertyDescription(
      "Retain (default): database, data and user stay on the server when this AppDatabase is"
          + " deleted. Delete: sessions are ended and the database and user are dropped.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Maximum concurrent connections of the user. Absent: no limit.")
  private Integer connectionLimit;

  @JsonPropertyDescription(
      "The connection Secret written in this namespace. With accounts, serviceBinding, template,"
          + " labels and annotations apply to every account's Secret; name is not allowed.")
  private SecretSpec secret = new SecretSpec();

  @Size(min = 1, max = 16)
  @ValidationRule(
      value = "self.filter(a, a.access == 'Owner').size() == 1",
      message = "exactly one account must have access Owner")
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "account names must be unique")
  @JsonPropertyDescription(
      "Separate users with their own Secrets instead of the single owner user: exactly one"
          + " Owner (schema changes), any number of ReadWrite and ReadOnly accounts. Accounts can"
          + " be added and removed later; a removed account's user is dropped and its Secret"
          + " deleted.")
  private List<AccountSpec> accounts;

  public ServerRef getServerRef() {
    return serverRef;
  }

  public void setServerRef(ServerRef serverRef) {
    this.serverRef = serverRef;
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

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public Integer getConnectionLimit() {
    return connectionLimit;
  }

  public void setConnectionLimit(Integer connectionLimit) {
    this.connectionLimit = connectionLimit;
  }

  public SecretSpec getSecret() {
    return secret;
  }

  public void setSecret(SecretSpec secret) {
    this.secret = secret == null ? new SecretSpec() : secret;
  }

  public List<AccountSpec> getAccounts() {
    return accounts;
  }

  public void setAccounts(List<AccountSpec> accounts) {
    this.accounts = accounts;
  }

  /** True when spec.accounts lists accounts; otherwise the single owner user is used. */
  public boolean hasAccounts() {
    return accounts != null && !accounts.isEmpty();
  }

  /** The deletion policy with the default applied (the mock API server applies no defaults). */
  public DeletionPolicy effectiveDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Retain : deletionPolicy;
  }
}
