package io.appdb.operator.reconciler;

import io.appdb.operator.api.v1alpha1.AccountSpec;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.AppDatabaseStatus;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.naming.NameRules;
import io.appdb.operator.server.NamespacePolicy;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.validation.AppDatabaseValidator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, without touching any database, which server an AppDatabase lives on and which names it
 * uses, and refuses what policy or validation forbids. Names once recorded in status win over
 * derivation, so that a changed default rule can never move an existing database.
 */
public final class Planner {
  private final ServerLookup lookup;

  public Planner(ServerLookup lookup) {
    this.lookup = lookup;
  }

  public Plan plan(AppDatabase adb) {
    DatabaseServer server = resolveServer(adb);
    Engine engine = server.getSpec().getEngine();
    String namespace = adb.getMetadata().getNamespace();

    List<String> problems = AppDatabaseValidator.problems(adb, engine);
    if (!problems.isEmpty()) {
      throw new PermanentProblem(Reasons.INVALID_SPEC, String.join("; ", problems));
    }
    Map<String, String> labels =
        NamespacePolicy.needsLabels(server.getSpec().getAllowedNamespaces(), namespace)
            ? lookup.namespaceLabels(namespace)
            : Map.of();
    if (!NamespacePolicy.allows(server.getSpec().getAllowedNamespaces(), namespace, labels)) {
      throw new PermanentProblem(
          Reasons.NAMESPACE_NOT_ALLOWED,
          "namespace "
              + namespace
              + " is not allowed to use DatabaseServer "
              + server.getMetadata().getName()
              + " (spec.allowedNamespaces); ask the platform team or choose another server");
    }

    AppDatabaseSpec spec = adb.getSpec();
    AppDatabaseStatus status = adb.getStatus();
    String database =
        fixedName(
            "databaseName",
            spec.getDatabaseName(),
            status == null ? null : status.getDatabaseName(),
            () -> NameRules.deriveDatabaseName(engine, namespace, adb.getMetadata().getName()));
    AccountSpec ownerAccount = spec.hasAccounts() ? Accounts.owner(spec, status) : null;
    String user =
        fixedName(
            "username",
            spec.getUsername(),
            status == null ? null : status.getUsername(),
            ownerAccount == null
                ? () -> NameRules.deriveUsername(engine, database)
                : () -> NameRules.deriveAccountUsername(engine, database, ownerAccount.getName()));
    Optional<String> bad =
        NameRules.databaseNameProblem(engine, database)
            .or(() -> NameRules.usernameProblem(engine, user));
    if (bad.isPresent()) {
      throw new PermanentProblem(Reasons.INVALID_SPEC, bad.get());
    }
    if (ownerAccount != null) {
      List<Plan.Account> accounts = Accounts.plan(adb, engine, database, user);
      String ownerSecret =
          accounts.stream().filter(Plan.Account::isOwner).findFirst().orElseThrow().secretName();
      return new Plan(adb, server, database, user, ownerSecret, accounts);
    }
    String secretName =
        spec.getSecret().getName() != null
            ? spec.getSecret().getName()
            : adb.getMetadata().getName() + "-db";
    return new Plan(adb, server, database, user, secretName);
  }

  private DatabaseServer resolveServer(AppDatabase adb) {
    String recorded = adb.getStatus() == null ? null : adb.getStatus().getServer();
    String requested =
        adb.getSpec().getServerRef() == null ? null : adb.getSpec().getServerRef().getName();
    if (recorded != null && requested != null && !recorded.equals(requested)) {
      throw new PermanentProblem(
          Reasons.INVALID_SPEC,
          "spec.serverRef is immutable: this AppDatabase lives on server "
              + recorded
              + "; set spec.serverRef.name back to "
              + recorded);
    }
    String name = recorded != null ? recorded : requested;
    if (name == null) {
      return defaultServer();
    }
    return lookup
        .server(name)
        .orElseThrow(
            () ->
                new PermanentProblem(
                    Reasons.SERVER_NOT_FOUND,
                    "DatabaseServer " + name + " does not exist; check spec.serverRef.name"));
  }

  private DatabaseServer defaultServer() {
    List<DatabaseServer> defaults =
        lookup.servers().stream()
            .filter(
                s ->
                    s.getMetadata().getAnnotations() != null
                        && "true"
                            .equals(
                                s.getMetadata()
                                    .getAnnotations()
                                    .get(DatabaseServer.DEFAULT_SERVER_ANNOTATION)))
            .toList();
    if (defaults.size() == 1) {
      return defaults.get(0);
    }
    throw new PermanentProblem(
        Reasons.NO_DEFAULT_SERVER,
        defaults.isEmpty()
            ? "spec.serverRef is not set and no DatabaseServer is annotated "
                + DatabaseServer.DEFAULT_SERVER_ANNOTATION
                + "=\"true\"; set spec.serverRef.name"
            : "spec.serverRef is not set and "
                + defaults.size()
                + " DatabaseServers are marked default; set spec.serverRef.name");
  }

  private static String fixedName(
      String field, String requested, String recorded, java.util.function.Supplier<String> derive) {
    if (recorded != null && requested != null && !recorded.equals(requested)) {
      throw new PermanentProblem(
          Reasons.INVALID_SPEC,
          "spec."
              + field
              + " is immutable: this AppDatabase already uses "
              + recorded
              + "; set it back to "
              + recorded);
    }
    if (recorded != null) {
      return recorded;
    }
    return requested != null ? requested : derive.get();
  }
}
