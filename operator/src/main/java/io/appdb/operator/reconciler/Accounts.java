package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.AccountSpec;
import io.appdb.operator.api.v1alpha1.AccountStatus;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.naming.NameRules;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.validation.AppDatabaseValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names of the accounts of {@code spec.accounts}, decided without SQL (part of {@link Planner}).
 * Users once recorded in {@code status.accounts} win over derivation, like the database and owner
 * names. The Owner is fixed once recorded: handing the database and its objects to another account
 * is a migration a person plans, not a spec edit.
 */
final class Accounts {
  private Accounts() {}

  /** The Owner account; refuses a spec that would change which account owns the database. */
  static AccountSpec owner(AppDatabaseSpec spec, AppDatabaseStatus status) {
    AccountSpec owner =
        spec.getAccounts().stream()
            .filter(a -> a.getAccess() == AccountAccess.Owner)
            .findFirst()
            .orElseThrow(
                () ->
                    new PermanentProblem(
                        Reasons.INVALID_SPEC, "spec.accounts needs exactly one Owner"));
    recorded(status).stream()
        .filter(a -> a.getAccess() == AccountAccess.Owner)
        .findFirst()
        .filter(a -> !a.getName().equals(owner.getName()))
        .ifPresent(
            a -> {
              throw new PermanentProblem(
                  Reasons.INVALID_SPEC,
                  "spec.accounts: the Owner account is "
                      + a.getName()
                      + " (user "
                      + a.getUsername()
                      + " owns the database and its objects) and cannot be renamed or changed to"
                      + " another account; make "
                      + a.getName()
                      + " the Owner again");
            });
    return owner;
  }

  /** Every account with its user and Secret; the Owner's user is {@code ownerUser}. */
  static List<Plan.Account> plan(
      AppDatabase adb, Engine engine, String database, String ownerUser) {
    Map<String, String> recordedUsers = new HashMap<>();
    for (AccountStatus a : recorded(adb.getStatus())) {
      if (a.getAccess() != AccountAccess.Owner && a.getName() != null) {
        recordedUsers.put(a.getName(), a.getUsername());
      }
    }
    List<Plan.Account> accounts = new ArrayList<>();
    Map<String, String> userOwners = new HashMap<>();
    for (AccountSpec spec : adb.getSpec().getAccounts()) {
      String user =
          spec.getAccess() == AccountAccess.Owner
              ? ownerUser
              : Optional.ofNullable(recordedUsers.get(spec.getName()))
                  .orElseGet(
                      () -> NameRules.deriveAccountUsername(engine, database, spec.getName()));
      NameRules.usernameProblem(engine, user)
          .ifPresent(
              p -> {
                throw new PermanentProblem(
                    Reasons.INVALID_SPEC,
                    "user " + user + " of account " + spec.getName() + " " + p);
              });
      String other = userOwners.putIfAbsent(user, spec.getName());
      if (other != null) {
        throw new PermanentProblem(
            Reasons.INVALID_SPEC,
            "accounts "
                + other
                + " and "
                + spec.getName()
                + " would both use user "
                + user
                + "; rename one of them");
      }
      String secretName =
          spec.getSecretName() != null
              ? spec.getSecretName()
              : AppDatabaseValidator.defaultAccountSecretName(
                  adb.getMetadata().getName(), spec.getName());
      accounts.add(
          new Plan.Account(
              spec.getName(), spec.getAccess(), user, secretName, spec.getConnectionLimit()));
    }
    return accounts;
  }

  static List<AccountStatus> recorded(AppDatabaseStatus status) {
    return status == null || status.getAccounts() == null ? List.of() : status.getAccounts();
  }
}
