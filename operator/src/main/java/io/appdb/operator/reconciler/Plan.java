package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.AccountStatus;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.engine.Owner;
import java.util.List;

/**
 * Everything decided about an AppDatabase before any SQL runs. With {@code spec.accounts}, {@code
 * username} and {@code secretName} are the Owner account's and {@code accounts} lists every
 * account, the Owner included; without, {@code accounts} is empty.
 */
public record Plan(
    AppDatabase resource,
    DatabaseServer server,
    String databaseName,
    String username,
    String secretName,
    List<Account> accounts) {

  /** One account of {@code spec.accounts}: its user on the server and its Secret. */
  public record Account(
      String name,
      AccountAccess access,
      String username,
      String secretName,
      Integer connectionLimit) {

    public boolean isOwner() {
      return access == AccountAccess.Owner;
    }

    AccountStatus toStatus() {
      return new AccountStatus(name, access, username, secretName);
    }
  }

  public Plan(
      AppDatabase resource,
      DatabaseServer server,
      String databaseName,
      String username,
      String secretName) {
    this(resource, server, databaseName, username, secretName, List.of());
  }

  public Plan {
    accounts = List.copyOf(accounts);
  }

  /** The accounts besides the Owner. */
  public List<Account> otherAccounts() {
    return accounts.stream().filter(a -> !a.isOwner()).toList();
  }

  /** The connection limit of the owner user: the Owner account's with accounts. */
  public Integer ownerConnectionLimit() {
    return accounts.isEmpty()
        ? resource.getSpec().getConnectionLimit()
        : accounts.stream()
            .filter(Account::isOwner)
            .findFirst()
            .map(Account::connectionLimit)
            .orElse(null);
  }

  public String serverName() {
    return server.getMetadata().getName();
  }

  public Engine engine() {
    return server.getSpec().getEngine();
  }

  public Owner owner() {
    return new Owner(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  public Provisioner.Target target() {
    boolean provisionedBefore =
        resource.getStatus() != null && resource.getStatus().getBinding() != null;
    return new Provisioner.Target(
        owner(), serverName(), databaseName, username, ownerConnectionLimit(), provisionedBefore);
  }
}
