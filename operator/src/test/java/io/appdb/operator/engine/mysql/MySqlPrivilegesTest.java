package io.appdb.operator.engine.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.engine.mysql.MySqlPrivileges.Global;
import io.appdb.operator.engine.mysql.MySqlPrivileges.OnObject;
import io.appdb.operator.engine.mysql.MySqlPrivileges.OnSchema;
import io.appdb.operator.engine.mysql.MySqlPrivileges.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MySqlPrivilegesTest {

  private static final String DB = "shop_db";
  private static final String PATTERN = "shop\\_db";
  private static final List<String> WANTED = MySqlStatements.APP_PRIVILEGES;

  private static List<OnSchema> exactly(List<String> privileges) {
    List<OnSchema> rows = new ArrayList<>();
    for (String privilege : privileges) {
      rows.add(new OnSchema(PATTERN, privilege, false));
    }
    return rows;
  }

  private static Verdict judge(
      List<Global> global, List<OnSchema> schemas, List<OnObject> objects) {
    return new MySqlPrivileges(global, schemas, objects).judge(DB, WANTED);
  }

  private static final List<Global> USAGE = List.of(new Global("USAGE", false));

  @Test
  void exactlyTheWantedPrivilegesAreInPlace() {
    Verdict verdict = judge(USAGE, exactly(WANTED), List.of());

    assertThat(verdict.extras()).isEmpty();
    assertThat(verdict.missing()).isEmpty();
    assertThat(verdict.inPlace()).isTrue();
  }

  @Test
  void aMissingPrivilegeIsMissingAndNotExtra() {
    List<String> held = new ArrayList<>(WANTED);
    held.remove("INSERT");

    Verdict verdict = judge(USAGE, exactly(held), List.of());

    assertThat(verdict.extras()).isEmpty();
    assertThat(verdict.missing()).containsExactly("INSERT");
    assertThat(verdict.inPlace()).isFalse();
  }

  @Test
  void nothingHeldMissesEverythingInTheWantedOrder() {
    Verdict verdict = judge(USAGE, List.of(), List.of());

    assertThat(verdict.missing()).isEqualTo(WANTED);
    assertThat(verdict.extras()).isEmpty();
  }

  @Test
  void grantOptionOnTheOwnDatabaseIsExtraButStillHeld() {
    List<OnSchema> rows = exactly(WANTED);
    rows.set(0, new OnSchema(PATTERN, "SELECT", true));

    Verdict verdict = judge(USAGE, rows, List.of());

    assertThat(verdict.extras()).containsExactly("GRANT OPTION on database shop_db");
    assertThat(verdict.missing()).isEmpty();
  }

  @Test
  void aGlobalPrivilegeOrGrantableUsageIsExtra() {
    assertThat(judge(List.of(new Global("PROCESS", false)), exactly(WANTED), List.of()).extras())
        .containsExactly("global PROCESS");
    assertThat(judge(List.of(new Global("USAGE", true)), exactly(WANTED), List.of()).extras())
        .containsExactly("global USAGE");
    assertThat(judge(List.of(), exactly(WANTED), List.of()).inPlace()).isTrue();
  }

  @Test
  void aPrivilegeOnAnotherDatabaseOrPatternIsExtra() {
    List<OnSchema> rows = exactly(WANTED);
    rows.add(new OnSchema("other\\_db", "SELECT", false));
    rows.add(new OnSchema("shop%", "SELECT", false));

    Verdict verdict = judge(USAGE, rows, List.of());

    assertThat(verdict.extras())
        .containsExactly("SELECT on database other_db", "SELECT on databases matching shop%");
    assertThat(verdict.missing()).isEmpty();
  }

  @Test
  void anUnwantedPrivilegeOnTheOwnDatabaseIsExtra() {
    List<OnSchema> rows = exactly(WANTED);
    rows.add(new OnSchema(PATTERN, "GRANT", false));

    assertThat(judge(USAGE, rows, List.of()).extras()).containsExactly("GRANT on database shop_db");
    assertThat(
            new MySqlPrivileges(USAGE, exactly(WANTED), List.of())
                .judge(DB, MySqlStatements.READ_ONLY_PRIVILEGES)
                .extras())
        .contains("INSERT on database shop_db")
        .doesNotContain("SELECT on database shop_db");
  }

  @Test
  void objectGrantsElsewhereAreExtraWhateverTheyAre() {
    Verdict verdict =
        judge(
            USAGE,
            exactly(WANTED),
            List.of(
                new OnObject("other_db", null, false), new OnObject("other_db", "SELECT", false)));

    assertThat(verdict.extras())
        .containsExactly(
            "object privileges in database other_db", "object privileges in database other_db");
  }

  @Test
  void objectGrantsInTheOwnDatabaseAreExtraOnlyWhenUnwantedOrGrantable() {
    assertThat(judge(USAGE, exactly(WANTED), List.of(new OnObject(DB, "SELECT", false))).inPlace())
        .isTrue();
    assertThat(judge(USAGE, exactly(WANTED), List.of(new OnObject(DB, "SELECT", true))).extras())
        .containsExactly("SELECT on objects in database shop_db");
    assertThat(
            judge(USAGE, exactly(WANTED), List.of(new OnObject(DB, "CREATE USER", false))).extras())
        .containsExactly("CREATE USER on objects in database shop_db");
  }

  @Test
  void routineGrantsAreSplitAndTheirGrantOptionIsExtra() {
    Verdict verdict =
        judge(
            USAGE,
            exactly(WANTED),
            List.of(new OnObject(DB, "EXECUTE,ALTER ROUTINE,GRANT", false)));

    assertThat(verdict.extras()).containsExactly("GRANT on objects in database shop_db");
  }

  @Test
  void objectGrantsDoNotCountAsHeldDatabasePrivileges() {
    List<String> held = new ArrayList<>(WANTED);
    held.remove("SELECT");

    Verdict verdict = judge(USAGE, exactly(held), List.of(new OnObject(DB, "SELECT", false)));

    assertThat(verdict.missing()).containsExactly("SELECT");
  }

  @Test
  void granteesAreGroupedAsInformationSchemaComparesThem() {
    assertThat(MySqlPrivileges.grantee("app_u", "%")).isEqualTo("'app_u'@'%'");
    assertThat(MySqlPrivileges.granteeKey("'App_U'@'%'"))
        .isEqualTo(MySqlPrivileges.granteeKey(MySqlPrivileges.grantee("app_u", "%")));
  }

  @Test
  void theConnectionLimitIsCorrectedOnlyWhenItDiffers() {
    assertThat(MySqlEngine.wantedLimit(null)).isZero();
    assertThat(MySqlEngine.wantedLimit(5)).isEqualTo(5);
    assertThat(MySqlEngine.limitCorrection(0, 0)).isEmpty();
    assertThat(MySqlEngine.limitCorrection(7, 0)).contains("connection limit set to 0 (was 7)");
  }
}
