package io.appdb.operator.naming;

import static io.appdb.operator.api.v1alpha1.Engine.MYSQL;
import static io.appdb.operator.api.v1alpha1.Engine.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.api.v1alpha1.Engine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameRulesTest {

  private static final String HASH_SUFFIX = "_[0-9a-f]{8}$";

  // ---- deriveDatabaseName ----

  @ParameterizedTest
  @EnumSource(Engine.class)
  void plainNamesStayReadable(Engine engine) {
    assertThat(NameRules.deriveDatabaseName(engine, "teachers", "portal"))
        .isEqualTo("teachers_portal");
    assertThat(NameRules.deriveDatabaseName(engine, "team1", "2app")).isEqualTo("team1_2app");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void namesWithDashesOrDotsGetTheHashOfTheOriginal(Engine engine) {
    String derived = NameRules.deriveDatabaseName(engine, "teacher-portal", "teacher-portal");
    assertThat(derived)
        .isEqualTo("teacher_portal_teacher_portal_" + sha8("14:teacher-portal/teacher-portal"));
    assertThat(NameRules.deriveDatabaseName(engine, "ns", "app.v2"))
        .matches("ns_app_v2" + HASH_SUFFIX);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void mappingCollisionsStayDistinct(Engine engine) {
    List<String[]> inputs =
        List.of(
            new String[] {"a-b", "b"},
            new String[] {"a", "b-b"},
            new String[] {"a", "b.b"},
            new String[] {"a-b-b", ""},
            new String[] {"a_b", "b"},
            new String[] {"a", "b_b"},
            new String[] {"A", "b-b"},
            new String[] {"a", "B-b"},
            new String[] {"a/b", "b"},
            new String[] {"a", "b/b"},
            new String[] {"a", "b"},
            new String[] {"ab", ""},
            new String[] {"", "ab"});
    Map<String, String> seen = new HashMap<>();
    for (String[] in : inputs) {
      String derived = NameRules.deriveDatabaseName(engine, in[0], in[1]);
      String previous = seen.put(derived, in[0] + "/" + in[1]);
      assertThat(previous)
          .as("%s/%s collides with %s as %s", in[0], in[1], previous, derived)
          .isNull();
      assertThat(NameRules.databaseNameProblem(engine, derived)).as(derived).isEmpty();
    }
  }

  @Test
  void aPlainNameIsNeverHashedAndAHashedNameAlwaysIs() {
    assertThat(NameRules.deriveDatabaseName(POSTGRESQL, "a", "b")).isEqualTo("a_b");
    assertThat(NameRules.deriveDatabaseName(POSTGRESQL, "a-b", "b")).matches("a_b_b" + HASH_SUFFIX);
    assertThat(NameRules.deriveDatabaseName(POSTGRESQL, "a", "b-b")).matches("a_b_b" + HASH_SUFFIX);
  }

  @ParameterizedTest
  @CsvSource({"POSTGRESQL,63", "MYSQL,64"})
  void longNamesAreCutToTheEngineLimitWithAHash(Engine engine, int limit) {
    String namespace = "n".repeat(63);
    String name = "a".repeat(253);
    String derived = NameRules.deriveDatabaseName(engine, namespace, name);
    assertThat(derived).hasSize(limit).matches("n+" + HASH_SUFFIX);
    assertThat(derived)
        .endsWith("_" + sha8("63:" + namespace + "/" + name))
        .startsWith("n".repeat(limit - 9));
    // Same prefix, different tail: still different names.
    assertThat(NameRules.deriveDatabaseName(engine, namespace, "a".repeat(252) + "b"))
        .isNotEqualTo(derived)
        .hasSize(limit);
  }

  @Test
  void aPlainNameThatIsExactlyAtTheLimitIsKept() {
    String pg = "n".repeat(30) + "_" + "a".repeat(32); // 63
    assertThat(NameRules.deriveDatabaseName(POSTGRESQL, "n".repeat(30), "a".repeat(32)))
        .isEqualTo(pg);
    assertThat(NameRules.deriveDatabaseName(POSTGRESQL, "n".repeat(30), "a".repeat(33)))
        .hasSize(63)
        .matches("n{30}_a{23}" + HASH_SUFFIX);
    assertThat(NameRules.deriveDatabaseName(MYSQL, "n".repeat(30), "a".repeat(33)))
        .isEqualTo("n".repeat(30) + "_" + "a".repeat(33));
  }

  @ParameterizedTest
  @CsvSource({
    "1team,app,db_1team_app",
    "pg,app,db_pg_app",
    "test,app,db_test_app",
    "appdb,operator,appdb_operator",
    "UPPER,app,upper_app",
  })
  void reservedOrNonLetterStartsAreMadeSafe(String namespace, String name, String prefix) {
    String derived = NameRules.deriveDatabaseName(POSTGRESQL, namespace, name);
    assertThat(derived).matches(prefix + HASH_SUFFIX);
    assertThat(NameRules.databaseNameProblem(POSTGRESQL, derived)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void hostileInputsStillGiveValidNames(Engine engine) {
    List<String> hostile =
        List.of(
            "",
            "-",
            "_",
            "'; DROP DATABASE x; --",
            "\"quoted\"",
            "`back`",
            "a\u0000b",
            "ünïcødé",
            "\uD83D\uDE00emoji",
            "İstanbul",
            "x".repeat(10_000),
            "pg_catalog",
            "postgres",
            "root",
            " ");
    for (String ns : hostile) {
      for (String name : hostile) {
        String derived = NameRules.deriveDatabaseName(engine, ns, name);
        assertThat(NameRules.databaseNameProblem(engine, derived))
            .as("%s/%s -> %s", ns, name, derived)
            .isEmpty();
        assertThat(NameRules.usernameProblem(engine, NameRules.deriveUsername(engine, derived)))
            .isEmpty();
      }
    }
  }

  @Test
  void randomKubernetesNamesGiveValidDistinctNames() {
    Random random = new Random(42);
    String alphabet = "abc-.0";
    for (Engine engine : Engine.values()) {
      Map<String, String> seen = new HashMap<>();
      for (int i = 0; i < 20_000; i++) {
        String ns = randomName(random, "abc-0", 1 + random.nextInt(70));
        String name = randomName(random, alphabet, 1 + random.nextInt(70));
        String derived = NameRules.deriveDatabaseName(engine, ns, name);
        assertThat(NameRules.databaseNameProblem(engine, derived)).as(derived).isEmpty();
        String previous = seen.put(derived, ns + "/" + name);
        assertThat(previous == null || previous.equals(ns + "/" + name))
            .as("%s/%s and %s both give %s", ns, name, previous, derived)
            .isTrue();
      }
    }
  }

  @Test
  void derivationIsDeterministic() {
    assertThat(NameRules.deriveDatabaseName(MYSQL, "x-y", "z"))
        .isEqualTo(NameRules.deriveDatabaseName(MYSQL, "x-y", "z"));
  }

  @Test
  void derivationRejectsNulls() {
    assertThatThrownBy(() -> NameRules.deriveDatabaseName(null, "a", "b"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> NameRules.deriveDatabaseName(MYSQL, null, "b"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> NameRules.deriveDatabaseName(MYSQL, "a", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> NameRules.deriveUsername(MYSQL, null))
        .isInstanceOf(NullPointerException.class);
  }

  // ---- deriveUsername ----

  @ParameterizedTest
  @EnumSource(Engine.class)
  void usernameIsDatabaseNamePlusUser(Engine engine) {
    assertThat(NameRules.deriveUsername(engine, "teacher_portal")).isEqualTo("teacher_portal_user");
  }

  @Test
  void mysqlUsernamesAreCutAt32() {
    String db = "teacher_portal_teacher_portal_abcdef12"; // 38
    String user = NameRules.deriveUsername(MYSQL, db);
    assertThat(user)
        .hasSize(32)
        .isEqualTo(db.substring(0, 23) + "_" + sha8(db + "_user"))
        .matches("[a-z][a-z0-9_]*");
    assertThat(NameRules.deriveUsername(POSTGRESQL, db)).isEqualTo(db + "_user");
  }

  @Test
  void usernamesAtTheLimitAreKept() {
    assertThat(NameRules.deriveUsername(MYSQL, "a".repeat(27))).isEqualTo("a".repeat(27) + "_user");
    assertThat(NameRules.deriveUsername(MYSQL, "a".repeat(28)))
        .hasSize(32)
        .matches("a{23}" + HASH_SUFFIX);
    assertThat(NameRules.deriveUsername(POSTGRESQL, "a".repeat(58))).hasSize(63).endsWith("_user");
    assertThat(NameRules.deriveUsername(POSTGRESQL, "a".repeat(59)))
        .hasSize(63)
        .matches("a{54}" + HASH_SUFFIX);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void distinctDatabasesGiveDistinctUsers(Engine engine) {
    String common = "d".repeat(60);
    Map<String, String> seen = new HashMap<>();
    for (String db :
        List.of(
            common + "a",
            common + "b",
            common + "_a",
            "x",
            "x_user",
            "x_user_user",
            "d".repeat(27))) {
      String user = NameRules.deriveUsername(engine, db);
      assertThat(seen.put(user, db)).as("%s and %s", db, seen.get(user)).isNull();
      assertThat(NameRules.usernameProblem(engine, user)).isEmpty();
    }
  }

  @Test
  void hashedUsernamesNeverEndInUser() {
    assertThat(NameRules.deriveUsername(MYSQL, "q".repeat(40))).doesNotEndWith("_user");
  }

  @Test
  void reservedUsernamesAreAvoided() {
    assertThat(NameRules.deriveUsername(POSTGRESQL, "pg_x")).matches("db_pg_x_user" + HASH_SUFFIX);
    assertThat(NameRules.deriveUsername(POSTGRESQL, "1abc")).matches("db_1abc_user" + HASH_SUFFIX);
  }

  // ---- databaseNameProblem / usernameProblem ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "teacher_portal",
        "a1",
        "a_",
        "x_y_z_0",
        "postgres1",
        "my_test",
        "pgx",
        "testing"
      })
  void validNames(String name) {
    for (Engine engine : Engine.values()) {
      assertThat(NameRules.databaseNameProblem(engine, name)).isEmpty();
      assertThat(NameRules.usernameProblem(engine, name)).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Teacher",
        "1abc",
        "_abc",
        "teacher-portal",
        "a.b",
        "a b",
        "a;drop",
        "a'b",
        "a\"b",
        "a`b",
        "ä",
        "a\u0000",
        "a\n",
        " a",
        "abc\u00e9"
      })
  void patternViolationsSayWhatIsAllowed(String name) {
    assertThat(NameRules.databaseNameProblem(POSTGRESQL, name))
        .hasValueSatisfying(
            p -> assertThat(p).contains("^[a-z][a-z0-9_]*$").contains("lower-case"));
    assertThat(NameRules.usernameProblem(MYSQL, name)).isPresent();
  }

  @Test
  void emptyAndNullAreRefused() {
    assertThat(NameRules.databaseNameProblem(POSTGRESQL, "")).contains("must not be empty");
    assertThat(NameRules.databaseNameProblem(MYSQL, null)).contains("must not be empty");
    assertThat(NameRules.usernameProblem(MYSQL, "")).contains("must not be empty");
  }

  @Test
  void lengthLimitsPerEngine() {
    assertThat(NameRules.databaseNameProblem(POSTGRESQL, "a".repeat(63))).isEmpty();
    assertThat(NameRules.databaseNameProblem(POSTGRESQL, "a".repeat(64)))
        .contains("is 64 bytes long; at most 63 are allowed on this engine");
    assertThat(NameRules.databaseNameProblem(MYSQL, "a".repeat(64))).isEmpty();
    assertThat(NameRules.databaseNameProblem(MYSQL, "a".repeat(65)))
        .contains("is 65 characters long; at most 64 are allowed on this engine");
    assertThat(NameRules.usernameProblem(MYSQL, "a".repeat(32))).isEmpty();
    assertThat(NameRules.usernameProblem(MYSQL, "a".repeat(33)))
        .get()
        .asString()
        .contains("at most 32");
    assertThat(NameRules.usernameProblem(POSTGRESQL, "a".repeat(63))).isEmpty();
    assertThat(NameRules.usernameProblem(POSTGRESQL, "a".repeat(64)))
        .get()
        .asString()
        .contains("at most 63");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgres",
        "template0",
        "template1",
        "public",
        "mysql",
        "information_schema",
        "performance_schema",
        "sys",
        "root",
        "appdb_operator",
        "appdb_admin",
        "admin",
        "rdsadmin",
        "all",
        "replication",
        "none",
        "current_user",
        "test"
      })
  void reservedNamesAreRefusedOnBothEngines(String name) {
    for (Engine engine : Engine.values()) {
      assertThat(NameRules.databaseNameProblem(engine, name)).get().asString().contains("reserved");
      assertThat(NameRules.usernameProblem(engine, name)).get().asString().contains("reserved");
    }
  }

  @ParameterizedTest
  @CsvSource({"pg_stat,pg_", "pg_,pg_", "test_db,test_"})
  void reservedPrefixesAreNamed(String name, String prefix) {
    assertThat(NameRules.databaseNameProblem(MYSQL, name))
        .contains("starts with the reserved prefix '" + prefix + "'; choose another name");
  }

  @Test
  void everyReservedNameIsLowerCaseAndIsReservedMatchesThem() {
    for (String name : NameRules.RESERVED_NAMES) {
      assertThat(name).isLowerCase();
      assertThat(NameRules.isReserved(name)).isTrue();
      assertThat(NameRules.isReserved(name.toUpperCase())).isTrue();
    }
    assertThat(NameRules.isReserved("teacher_portal")).isFalse();
    assertThat(NameRules.isReserved("pg_anything")).isTrue();
  }

  // ---- shortHash ----

  @Test
  void shortHashIsTheSha256Prefix() {
    assertThat(NameRules.shortHash("")).isEqualTo("e3b0c442");
    assertThat(NameRules.shortHash("abc")).isEqualTo("ba7816bf");
    assertThat(NameRules.shortHash("ü")).isEqualTo(sha8("ü")).hasSize(8);
  }

  private static String sha8(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 8);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String randomName(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
