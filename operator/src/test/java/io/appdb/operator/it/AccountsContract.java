package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.AccountSpec;
import io.appdb.operator.api.v1alpha1.AccountStatus;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Reasons;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * spec.accounts end to end on the mock API server and a real database server: one subclass per
 * engine. Every test uses its own namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccountsContract {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private OperatorHarness h;
  private DbFixture db;
  private String server;

  protected abstract DbFixture fixture();

  @BeforeAll
  void start() {
    db = fixture();
    h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withResyncInterval(Duration.ofSeconds(2))
                .withSqlTimeout(Duration.ofSeconds(5)));
    server = "accounts-" + db.engine().value();
    h.registerServer(server, db.engine(), db.host(), db.port(), db.adminUser(), db.adminPassword());
    h.awaitServer(server, "True", Reasons.CONNECTED);
  }

  @AfterAll
  void stop() {
    h.close();
  }

  private String ns() {
    String ns = "acc-" + db.engine().value().charAt(0) + SEQ.incrementAndGet();
    h.namespace(ns, Map.of());
    return ns;
  }

  private AppDatabase adb(String ns, String name, AccountSpec... accounts) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace(ns);
    adb.getMetadata().setName(name);
    AppDatabaseSpec spec = new AppDatabaseSpec();
    spec.setServerRef(new ServerRef(server));
    if (accounts.length > 0) {
      spec.setAccounts(new ArrayList<>(List.of(accounts)));
    }
    adb.setSpec(spec);
    return adb;
  }

  private static AccountSpec account(String name, AccountAccess access) {
    return new AccountSpec(name, access);
  }

  private static AccountSpec[] three() {
    return new AccountSpec[] {
      account("migrate", AccountAccess.Owner),
      account("app", AccountAccess.ReadWrite),
      account("reporting", AccountAccess.ReadOnly)
    };
  }

  private void edit(String ns, String name, Consumer<AppDatabaseSpec> change) {
    h.client()
        .resources(AppDatabase.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            a -> {
              change.accept(a.getSpec());
              return a;
            });
  }

  private void run(Map<String, String> secret, String... statements) throws SQLException {
    try (Connection c =
            db.login(secret.get("DB_NAME"), secret.get("DB_USER"), secret.get("DB_PASSWORD"));
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private String count(Map<String, String> secret, String table) throws SQLException {
    try (Connection c =
            db.login(secret.get("DB_NAME"), secret.get("DB_USER"), secret.get("DB_PASSWORD"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String createTable() {
    return db.engine() == io.appdb.operator.api.v1alpha1.Engine.POSTGRESQL
        ? "CREATE TABLE items (id serial PRIMARY KEY, name text)"
        : "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40))";
  }

  @Test
  void eachAccountGetsItsUserSecretAndAccess() throws Exception {
    String ns = ns();
    h.create(adb(ns, "shop", three()));
    AppDatabase ready = h.awaitReady(ns, "shop");
    String database = ready.getStatus().getDatabaseName();

    assertThat(ready.getStatus().getAccounts())
        .extracting(AccountStatus::getName, AccountStatus::getAccess, AccountStatus::getSecret)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("migrate", AccountAccess.Owner, "shop-db-migrate"),
            org.assertj.core.groups.Tuple.tuple("app", AccountAccess.ReadWrite, "shop-db-app"),
            org.assertj.core.groups.Tuple.tuple(
                "reporting", AccountAccess.ReadOnly, "shop-db-reporting"));
    assertThat(ready.getStatus().getUsername()).isEqualTo(database + "_migrate");
    assertThat(ready.getStatus().getBinding().getName()).isEqualTo("shop-db-migrate");
    Map<String, String> owner = h.secretData(ns, "shop-db-migrate");
    Map<String, String> app = h.secretData(ns, "shop-db-app");
    Map<String, String> reporting = h.secretData(ns, "shop-db-reporting");
    assertThat(app.get("DB_USER")).isEqualTo(database + "_app");
    assertThat(reporting.get("DB_USER")).isEqualTo(database + "_reporting");
    assertThat(app.get("DATABASE_URL")).contains(database + "_app:" + app.get("DB_PASSWORD"));
    assertThat(db.claimsOf(ns, "shop"))
        .contains(
            "user:" + database + "_migrate",
            "user:" + database + "_app",
            "user:" + database + "_reporting");

    // The Owner creates the schema after the accounts exist.
    run(owner, createTable(), "INSERT INTO items (name) VALUES ('from owner')");
    run(app, "INSERT INTO items (name) VALUES ('from app')", "UPDATE items SET name = 'x'");
    assertThat(count(reporting, "items")).isEqualTo("2");
    assertThatThrownBy(() -> run(app, "DROP TABLE items")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> run(reporting, "DELETE FROM items")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> run(app, "CREATE TABLE planted (i INT)"))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void accountsCanBeAddedAndRemovedLater() throws Exception {
    String ns = ns();
    h.create(adb(ns, "desk", three()));
    AppDatabase ready = h.awaitReady(ns, "desk");
    String database = ready.getStatus().getDatabaseName();
    Map<String, String> owner = h.secretData(ns, "desk-db-migrate");
    Map<String, String> reporting = h.secretData(ns, "desk-db-reporting");
    run(owner, createTable(), "INSERT INTO items (name) VALUES ('kept')");

    edit(
        ns,
        "desk",
        spec -> {
          spec.getAccounts().removeIf(a -> a.getName().equals("reporting"));
          AccountSpec audit = account("audit", AccountAccess.ReadOnly);
          audit.setSecretName("audit-credentials");
          audit.setConnectionLimit(3);
          spec.getAccounts().add(audit);
        });

    await().atMost(Duration.ofSeconds(60)).until(() -> !db.userExists(reporting.get("DB_USER")));
    await().atMost(Duration.ofSeconds(30)).until(() -> h.secret(ns, "desk-db-reporting").isEmpty());
    AppDatabase after = h.awaitReady(ns, "desk");
    assertThat(after.getStatus().getAccounts())
        .extracting(AccountStatus::getName)
        .containsExactly("migrate", "app", "audit");
    assertThat(db.claimsOf(ns, "desk")).doesNotContain("user:" + reporting.get("DB_USER"));
    Map<String, String> audit = h.secretData(ns, "audit-credentials");
    assertThat(audit.get("DB_USER")).isEqualTo(database + "_audit");
    assertThat(db.connectionLimit(audit.get("DB_USER"))).isEqualTo(3);
    assertThat(count(audit, "items")).isEqualTo("1");
    assertThat(count(owner, "items")).isEqualTo("1");
    assertThat(db.canLogin(database, reporting.get("DB_USER"), reporting.get("DB_PASSWORD")))
        .isFalse();
  }

  @Test
  void noAccountReachesAnotherTenantsDatabase() throws Exception {
    String ns1 = ns();
    String ns2 = ns();
    h.create(adb(ns1, "one", three()));
    h.create(adb(ns2, "two", three()));
    h.awaitReady(ns1, "one");
    AppDatabase two = h.awaitReady(ns2, "two");
    run(h.secretData(ns2, "two-db-migrate"), createTable());
    String otherDb = two.getStatus().getDatabaseName();
    for (String account : List.of("migrate", "app", "reporting")) {
      Map<String, String> s = h.secretData(ns1, "one-db-" + account);
      assertThat(db.canLogin(otherDb, s.get("DB_USER"), s.get("DB_PASSWORD")))
          .as("account %s of one reaching database of two", account)
          .isFalse();
    }
  }

  @Test
  void aSingleOwnerDatabaseSwitchesToAccountsKeepingItsOwnerAndData() throws Exception {
    String ns = ns();
    h.create(adb(ns, "legacy"));
    AppDatabase ready = h.awaitReady(ns, "legacy");
    String ownerUser = ready.getStatus().getUsername();
    run(h.secretData(ns, "legacy-db"), createTable(), "INSERT INTO items (name) VALUES ('old')");

    edit(ns, "legacy", spec -> spec.setAccounts(new ArrayList<>(List.of(three()))));

    await().atMost(Duration.ofSeconds(60)).until(() -> h.secret(ns, "legacy-db-app").isPresent());
    await().atMost(Duration.ofSeconds(30)).until(() -> h.secret(ns, "legacy-db").isEmpty());
    AppDatabase switched = h.awaitReady(ns, "legacy");
    assertThat(switched.getStatus().getUsername()).isEqualTo(ownerUser);
    Map<String, String> owner = h.secretData(ns, "legacy-db-migrate");
    assertThat(owner.get("DB_USER")).isEqualTo(ownerUser);
    run(owner, "ALTER TABLE items ADD COLUMN note VARCHAR(20)");
    run(h.secretData(ns, "legacy-db-app"), "INSERT INTO items (name) VALUES ('new')");
    assertThat(count(h.secretData(ns, "legacy-db-reporting"), "items")).isEqualTo("2");

    // Another account may not take over the ownership.
    edit(
        ns,
        "legacy",
        spec ->
            spec.getAccounts()
                .forEach(
                    a ->
                        a.setAccess(
                            a.getName().equals("app")
                                ? AccountAccess.Owner
                                : a.getName().equals("migrate")
                                    ? AccountAccess.ReadWrite
                                    : a.getAccess())));
    h.awaitCondition(ns, "legacy", "Stalled", "True", Reasons.INVALID_SPEC);
    assertThat(db.userExists(ownerUser)).isTrue();
  }

  @Test
  void deletePolicyDropsEveryAccountUser() throws Exception {
    String ns = ns();
    AppDatabase adb = adb(ns, "tmp", three());
    adb.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    h.create(adb);
    AppDatabase ready = h.awaitReady(ns, "tmp");
    List<String> users =
        ready.getStatus().getAccounts().stream().map(AccountStatus::getUsername).toList();
    assertThat(users).hasSize(3).allSatisfy(u -> assertThat(db.userExists(u)).isTrue());

    h.client().resource(h.get(ns, "tmp")).delete();

    await().atMost(Duration.ofSeconds(60)).until(() -> h.get(ns, "tmp") == null);
    assertThat(db.databaseExists(ready.getStatus().getDatabaseName())).isFalse();
    for (String user : users) {
      assertThat(db.userExists(user)).as("user %s", user).isFalse();
    }
    assertThat(db.claimsOf(ns, "tmp")).isEmpty();
  }
}
