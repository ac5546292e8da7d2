package io.appdb.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.AccountSpec;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.naming.NameRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** spec.accounts: names, the single Owner, Secrets, and the fields that do not mix with it. */
class AccountsValidationTest {

  private static AppDatabase adb(AccountSpec... accounts) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace("team");
    adb.getMetadata().setName("portal");
    AppDatabaseSpec spec = new AppDatabaseSpec();
    spec.setAccounts(new ArrayList<>(List.of(accounts)));
    adb.setSpec(spec);
    return adb;
  }

  private static AccountSpec account(String name, AccountAccess access) {
    return new AccountSpec(name, access);
  }

  private static List<String> problems(AppDatabase adb) {
    return AppDatabaseValidator.problems(adb, Engine.POSTGRESQL);
  }

  @Test
  void threeAccountsWithOneOwnerAreValid() {
    AppDatabase adb =
        adb(
            account("migrate", AccountAccess.Owner),
            account("app", AccountAccess.ReadWrite),
            account("reporting", AccountAccess.ReadOnly));

    assertThat(problems(adb)).isEmpty();
  }

  @Test
  void exactlyOneOwnerIsRequired() {
    assertThat(problems(adb(account("app", AccountAccess.ReadWrite))))
        .singleElement()
        .asString()
        .contains("0 accounts with access Owner");
    assertThat(problems(adb(account("a", AccountAccess.Owner), account("b", AccountAccess.Owner))))
        .singleElement()
        .asString()
        .contains("2 accounts with access Owner");
  }

  @Test
  void anEmptyListIsRefused() {
    assertThat(problems(adb())).singleElement().asString().contains("spec.accounts lists 0");
  }

  @Test
  void tooManyAccountsAreRefused() {
    AccountSpec[] many = new AccountSpec[AppDatabaseValidator.MAX_ACCOUNTS + 1];
    many[0] = account("owner", AccountAccess.Owner);
    for (int i = 1; i < many.length; i++) {
      many[i] = account("ro" + i, AccountAccess.ReadOnly);
    }
    assertThat(problems(adb(many))).singleElement().asString().contains("list 1 to 16");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "App",
        "1app",
        "my_app",
        "my-app",
        "a'b",
        "x;drop",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void badAccountNamesAreRefused(String name) {
    List<String> problems =
        problems(adb(account("owner", AccountAccess.Owner), account(name, AccountAccess.ReadOnly)));

    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("spec.accounts[1].name"));
  }

  @Test
  void duplicateNamesAndSecretsAreRefused() {
    AccountSpec twin = account("app", AccountAccess.ReadOnly);
    AccountSpec shared = account("other", AccountAccess.ReadOnly);
    shared.setSecretName("portal-db-app");

    List<String> problems =
        problems(
            adb(
                account("owner", AccountAccess.Owner),
                account("app", AccountAccess.ReadWrite),
                twin,
                shared));

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("spec.accounts[2].name").contains("twice"))
        .anySatisfy(p -> assertThat(p).contains("spec.accounts[3].secretName"));
  }

  @Test
  void missingAccessAndBadLimitsAndSecretNamesAreRefused() {
    AccountSpec noAccess = account("app", null);
    AccountSpec badLimit = account("ro", AccountAccess.ReadOnly);
    badLimit.setConnectionLimit(0);
    AccountSpec badSecret = account("rw", AccountAccess.ReadWrite);
    badSecret.setSecretName("Not_A_Secret");

    List<String> problems =
        problems(adb(account("owner", AccountAccess.Owner), noAccess, badLimit, badSecret));

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("spec.accounts[1].access"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.accounts[2].connectionLimit is 0"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.accounts[3].secretName"));
  }

  @Test
  void singleOwnerFieldsDoNotMixWithAccounts() {
    AppDatabase adb = adb(account("owner", AccountAccess.Owner));
    adb.getSpec().setConnectionLimit(5);
    adb.getSpec().getSecret().setName("portal-db");

    assertThat(problems(adb))
        .anySatisfy(p -> assertThat(p).startsWith("spec.connectionLimit cannot be used"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.secret.name cannot be used"));
  }

  @Test
  void aDefaultSecretNameThatIsTooLongAsksForSecretName() {
    AppDatabase adb = adb(account("owner", AccountAccess.Owner));
    adb.getMetadata().setName("p".repeat(245));

    assertThat(problems(adb))
        .singleElement()
        .asString()
        .startsWith("spec.accounts[0].secretName is needed");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void accountUsersAreDerivedAndAlwaysValid(Engine engine) {
    assertThat(NameRules.deriveAccountUsername(engine, "teacher_portal", "app"))
        .isEqualTo("teacher_portal_app");
    String longDb = "d".repeat(engine == Engine.POSTGRESQL ? 63 : 32);
    String a = NameRules.deriveAccountUsername(engine, longDb, "app");
    String b = NameRules.deriveAccountUsername(engine, longDb, "reporting");

    assertThat(a).isNotEqualTo(b);
    assertThat(NameRules.usernameProblem(engine, a)).isEmpty();
    assertThat(NameRules.usernameProblem(engine, b)).isEmpty();
    assertThat(NameRules.deriveAccountUsername(engine, "pg", "x")).doesNotStartWith("pg_");
    assertThat(
            NameRules.usernameProblem(engine, NameRules.deriveAccountUsername(engine, "pg", "x")))
        .isEmpty();
  }

  @Test
  void theAccountsExampleIsValid() throws Exception {
    Path example = repoRoot().resolve("examples/appdatabase-accounts.yaml");
    AppDatabase adb =
        new ObjectMapper(new YAMLFactory()).readValue(Files.readString(example), AppDatabase.class);

    assertThat(adb.getSpec().getAccounts()).hasSize(3);
    assertThat(AppDatabaseValidator.problems(adb, Engine.POSTGRESQL)).isEmpty();
    assertThat(AppDatabaseValidator.problems(adb, Engine.MYSQL)).isEmpty();
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
