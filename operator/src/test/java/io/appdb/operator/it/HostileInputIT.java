package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.MariaDbServer;
import io.appdb.operator.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spec field an app team controls, attacked on both engines: SQL metacharacters, wildcards,
 * over-long and multi-byte names, reserved names, case folding, template injection, label and
 * annotation abuse, out-of-range limits. The mock API server does not enforce the CRD schema, so
 * these reach the operator as a permissive API server would let them. Each must end Stalled with
 * InvalidSpec, with no claim taken and nothing created or changed on the server (checked there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
  private OperatorHarness h;
  private PostgresServer pg;
  private MariaDbServer mdb;
  private String pgBefore;
  private String mdbBefore;

  @BeforeAll
  void start() throws Exception {
    pg = PostgresServer.shared(17);
    mdb = MariaDbServer.shared();
    h = OperatorHarness.start();
    h.registerServer(
        "hostile-pg", Engine.POSTGRESQL, pg.host(), pg.port(), pg.adminUser(), pg.adminPassword());
    h.registerServer(
        "hostile-mysql",
        Engine.MYSQL,
        mdb.host(),
        mdb.port(),
        mdb.adminUser(),
        mdb.adminPassword());
    h.awaitServer("hostile-pg", "True", Reasons.CONNECTED);
    h.awaitServer("hostile-mysql", "True", Reasons.CONNECTED);
    h.namespace("hostile", Map.of());
    pgBefore = pgSnapshot();
    mdbBefore = mdbSnapshot();
  }

  @AfterAll
  void nothingChangedOnTheServers() throws Exception {
    try {
      assertThat(pgSnapshot()).as("PostgreSQL databases and roles").isEqualTo(pgBefore);
      assertThat(mdbSnapshot()).as("MariaDB databases, users and grants").isEqualTo(mdbBefore);
    } finally {
      h.close();
    }
  }

  static Stream<Arguments> attacks() {
    List<Arguments> all = new ArrayList<>();
    String[] names = {
      "x'; DROP DATABASE postgres; --",
      "x\"; DROP ROLE appdb_admin; --",
      "x`; DROP DATABASE mysql; --",
      "x\\'; SELECT 1; --",
      "a%",
      "a_%",
      "%",
      "_",
      "Orders",
      "ORDERS",
      "café",
      "ünïcödé",
      "order\u0000s",
      "orders\n",
      " orders",
      "1orders",
      "a".repeat(65),
      "é".repeat(40),
      "postgres",
      "template1",
      "pg_catalog",
      "pg_evil",
      "mysql",
      "information_schema",
      "performance_schema",
      "sys",
      "root",
      "appdb_operator",
      "public",
      "test",
      "",
      "a b",
      "a-b",
      "a.b",
      "a/*b*/",
      "*",
    };
    for (String name : names) {
      all.add(
          Arguments.of(
              "databaseName=" + printable(name),
              (Consumer<AppDatabaseSpec>) s -> s.setDatabaseName(name)));
      all.add(
          Arguments.of(
              "username=" + printable(name), (Consumer<AppDatabaseSpec>) s -> s.setUsername(name)));
    }
    String[] secretNames = {"UPPER", "a_b", "../etc", "a..b", "-a", "a".repeat(254), "a b", "ä"};
    for (String name : secretNames) {
      all.add(
          Arguments.of(
              "secret.name=" + printable(name),
              (Consumer<AppDatabaseSpec>) s -> s.getSecret().setName(name)));
    }
    String[] templates = {
      "{{ .Password | printf \"%s\" }}",
      "{{ printf \"%s\" .Password }}",
      "{{ .Env.HOME }}",
      "{{ template \"x\" }}",
      "{{ .Password }",
      "{{ {{ .Password }} }}",
      "{{- .Password -}}",
      "{{ .password }}",
      "{{ . }}",
      "{{ index . \"Password\" }}",
      "{{ define \"x\" }}{{ end }}",
      "{{/* comment */}}",
    };
    for (String t : templates) {
      all.add(
          Arguments.of(
              "template=" + t,
              (Consumer<AppDatabaseSpec>) s -> s.getSecret().setTemplate(Map.of("X", t))));
    }
    all.add(
        Arguments.of(
            "template key overrides DB_PASSWORD",
            (Consumer<AppDatabaseSpec>)
                s -> s.getSecret().setTemplate(Map.of("DB_PASSWORD", "x"))));
    all.add(
        Arguments.of(
            "template key with slash",
            (Consumer<AppDatabaseSpec>)
                s -> s.getSecret().setTemplate(Map.of("../x", "{{ .Host }}"))));
    all.add(
        Arguments.of(
            "label overrides managed-by",
            (Consumer<AppDatabaseSpec>)
                s ->
                    s.getSecret()
                        .setLabels(Map.of("app.kubernetes.io/managed-by", "someone-else"))));
    all.add(
        Arguments.of(
            "label with bad key",
            (Consumer<AppDatabaseSpec>) s -> s.getSecret().setLabels(Map.of("bad key!", "x"))));
    all.add(
        Arguments.of(
            "label with bad value",
            (Consumer<AppDatabaseSpec>)
                s -> s.getSecret().setLabels(Map.of("ok", "v".repeat(64)))));
    all.add(
        Arguments.of(
            "annotation with bad key",
            (Consumer<AppDatabaseSpec>) s -> s.getSecret().setAnnotations(Map.of("/x", "y"))));
    all.add(
        Arguments.of(
            "connectionLimit=0", (Consumer<AppDatabaseSpec>) s -> s.setConnectionLimit(0)));
    all.add(
        Arguments.of(
            "connectionLimit=-1", (Consumer<AppDatabaseSpec>) s -> s.setConnectionLimit(-1)));
    all.add(
        Arguments.of(
            "connectionLimit=2^31-1",
            (Consumer<AppDatabaseSpec>) s -> s.setConnectionLimit(Integer.MAX_VALUE)));
    // Each attack runs on both engines.
    List<Arguments> both = new ArrayList<>();
    for (Arguments a : all) {
      both.add(Arguments.of("hostile-pg", a.get()[0], a.get()[1]));
      both.add(Arguments.of("hostile-mysql", a.get()[0], a.get()[1]));
    }
    // Valid on PostgreSQL (63 bytes), too long for a MySQL account (32 characters).
    both.add(
        Arguments.of(
            "hostile-mysql",
            "username of 33 characters",
            (Consumer<AppDatabaseSpec>) s -> s.setUsername("u".repeat(33))));
    return both.stream();
  }

  private static String printable(String s) {
    return s.length() > 20
        ? s.substring(0, 20) + "...(" + s.length() + ")"
        : s.replace("\u0000", "\\0").replace("\n", "\\n");
  }

  private static int seq;

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("attacks")
  void isRefusedBeforeAnySql(String server, String attack, Consumer<AppDatabaseSpec> hostile)
      throws Exception {
    String name = "attack-" + (++seq);
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace("hostile");
    adb.getMetadata().setName(name);
    adb.setSpec(new AppDatabaseSpec());
    adb.getSpec().setServerRef(new ServerRef(server));
    hostile.accept(adb.getSpec());
    h.create(adb);
    AppDatabase stalled =
        h.awaitCondition("hostile", name, "Stalled", "True", Reasons.INVALID_SPEC);
    String message =
        Conditions.find(stalled.getStatus().getConditions(), "Stalled").orElseThrow().getMessage();
    assertThat(message).as("says what to fix").isNotBlank();
    assertThat(h.secret("hostile", name + "-db")).isEmpty();
    // No claim means no SQL that creates or changes anything ran for it.
    assertThat(claims(server, name)).isZero();
  }

  private int claims(String server, String name) throws Exception {
    String sql =
        "SELECT count(*) FROM %s WHERE owner_namespace = 'hostile' AND owner_name = '" + name + "'";
    try (Connection c = server.equals("hostile-pg") ? pg.superuser("appdb_operator") : mdb.root();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                String.format(
                    sql, server.equals("hostile-pg") ? "claims" : "appdb_operator.claims"))) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private String pgSnapshot() throws Exception {
    try (Connection c = pg.superuser();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(x, ',' ORDER BY x) FROM ("
                    + " SELECT 'db:' || datname || ':' || coalesce(datacl::text, '') AS x"
                    + " FROM pg_database WHERE datname NOT LIKE 'hostile%'"
                    + " UNION ALL SELECT 'role:' || rolname || ':' || rolsuper || rolcreatedb"
                    + " || rolcreaterole FROM pg_roles) t")) {
      rs.next();
      return filterOthers(rs.getString(1));
    }
  }

  private String mdbSnapshot() throws Exception {
    try (Connection c = mdb.root();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT GROUP_CONCAT(x ORDER BY x SEPARATOR ',') FROM ("
                    + " SELECT CONCAT('db:', SCHEMA_NAME) AS x FROM information_schema.SCHEMATA"
                    + " UNION ALL SELECT CONCAT('user:', User, '@', Host) FROM mysql.user"
                    + " UNION ALL SELECT CONCAT('grant:', User, '@', Db) FROM mysql.db) t")) {
      rs.next();
      return filterOthers(rs.getString(1));
    }
  }

  /**
   * Other test classes share these servers but run before or after this one, never during it; the
   * snapshots are taken at the start and the end of this class, so equality means this class's
   * attacks changed nothing.
   */
  private static String filterOthers(String snapshot) {
    return snapshot == null ? "" : snapshot;
  }
}
