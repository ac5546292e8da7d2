package io.appdb.operator.it;

import static io.appdb.operator.it.OperatorHarness.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AllowedNamespaces;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DeletionPolicy;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.naming.NameRules;
import io.appdb.operator.reconciler.AppDatabaseReconciler;
import io.appdb.operator.status.Conditions;
import io.appdb.operator.status.Reasons;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The operator end to end on the mock API server and a real database server: one subclass per
 * engine. Every test uses its own namespace so that they can share one operator and one server.
 * After all tests, the captured logs, events and statuses are searched for every password and
 * DATABASE_URL the operator generated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppDatabaseOperatorContract {
  static final Duration RESYNC = Duration.ofSeconds(2);
  private static final AtomicInteger SEQ = new AtomicInteger();

  protected OperatorHarness h;
  protected DbFixture db;
  protected String server;
  private ListAppender<ILoggingEvent> logs;
  private final Set<String> secretsSeen = new HashSet<>();

  protected abstract DbFixture fixture();

  @BeforeAll
  void startAll() {
    logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    ((Logger) LoggerFactory.getLogger("io.appdb")).setLevel(Level.DEBUG);

    db = fixture();
    h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withResyncInterval(RESYNC)
                .withSqlTimeout(Duration.ofSeconds(5)));
    server = "shared-" + db.engine().value();
    h.registerServer(server, db.engine(), db.host(), db.port(), db.adminUser(), db.adminPassword());
    h.awaitServer(server, "True", Reasons.CONNECTED);
  }

  @AfterAll
  void noSecretLeaked() {
    try {
      List<String> texts = new ArrayList<>();
      logs.list.forEach(e -> texts.add(e.getFormattedMessage() + " " + throwableText(e)));
      for (Event e : h.client().v1().events().inAnyNamespace().list().getItems()) {
        texts.add(e.getMessage());
      }
      for (AppDatabase adb :
          h.client().resources(AppDatabase.class).inAnyNamespace().list().getItems()) {
        texts.add(Serialization.asJson(adb.getStatus()));
      }
      assertThat(secretsSeen).as("the tests must have seen generated secrets").isNotEmpty();
      for (String text : texts) {
        for (String secret : secretsSeen) {
          assertThat(text).as("log/event/status text").doesNotContain(secret);
        }
      }
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
      h.close();
    }
  }

  private static String throwableText(ILoggingEvent e) {
    StringBuilder b = new StringBuilder();
    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      b.append(t.getClassName()).append(": ").append(t.getMessage()).append(' ');
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- helpers

  protected String ns() {
    String ns = "team-" + db.engine().value().charAt(0) + SEQ.incrementAndGet();
    h.namespace(ns, Map.of());
    return ns;
  }

  protected AppDatabase adb(String ns, String name) {
    AppDatabase adb = new AppDatabase();
    adb.getMetadata().setNamespace(ns);
    adb.getMetadata().setName(name);
    AppDatabaseSpec spec = new AppDatabaseSpec();
    spec.setServerRef(new ServerRef(server));
    adb.setSpec(spec);
    return adb;
  }

  protected Map<String, String> readySecret(String ns, String name) {
    AppDatabase ready = h.awaitReady(ns, name);
    Map<String, String> data = h.secretData(ns, ready.getStatus().getBinding().getName());
    secretsSeen.add(data.get("DB_PASSWORD"));
    secretsSeen.add(data.get("DATABASE_URL"));
    return data;
  }

  // ---------------------------------------------------------------- tests

  @Test
  void serverReportsReadyWithVersion() {
    var s = h.server(server);
    assertThat(s.getStatus().getServerVersion()).isNotBlank();
    assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
  }

  @Test
  void provisionsDatabaseUserAndAWorkingSecret() throws Exception {
    String ns = ns();
    h.create(adb(ns, "orders"));
    Map<String, String> data = readySecret(ns, "orders");
    AppDatabase ready = h.get(ns, "orders");

    assertThat(ready.getStatus().getServer()).isEqualTo(server);
    assertThat(ready.getStatus().getEngine()).isEqualTo(db.engine());
    assertThat(ready.getStatus().getBinding().getName()).isEqualTo("orders-db");
    String database = ready.getStatus().getDatabaseName();
    String user = ready.getStatus().getUsername();
    assertThat(database).isEqualTo(NameRules.deriveDatabaseName(db.engine(), ns, "orders"));
    assertThat(user).isEqualTo(NameRules.deriveUsername(db.engine(), database));

    assertThat(data)
        .containsKeys(
            "DATABASE_URL",
            "JDBC_URL",
            "DB_TYPE",
            "DB_HOST",
            "DB_PORT",
            "DB_NAME",
            "DB_USER",
            "DB_PASSWORD");
    assertThat(data.get("DB_PASSWORD")).matches("[A-Za-z0-9]{32}");
    assertThat(data.get("DB_TYPE")).isEqualTo(db.engine().value());
    assertThat(data.get("DB_NAME")).isEqualTo(database);
    assertThat(data.get("DB_USER")).isEqualTo(user);
    assertThat(data.get("DATABASE_URL"))
        .isEqualTo(
            db.engine().value()
                + "://"
                + user
                + ":"
                + data.get("DB_PASSWORD")
                + "@"
                + db.host()
                + ":"
                + db.port()
                + "/"
                + database);
    assertThat(data.get("JDBC_URL")).doesNotContain(data.get("DB_PASSWORD")).startsWith("jdbc:");

    Secret secret = h.secret(ns, "orders-db").orElseThrow();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getStringData()).isNullOrEmpty();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "appdb-operator");
    OwnerReference owner = secret.getMetadata().getOwnerReferences().get(0);
    assertThat(secret.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getKind()).isEqualTo("AppDatabase");
    assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid());

    // The Secret's own values log in, through the JDBC_URL it carries.
    try (Connection c =
        java.sql.DriverManager.getConnection(
            data.get("JDBC_URL"), data.get("DB_USER"), data.get("DB_PASSWORD"))) {
      assertThat(c.isValid(5)).isTrue();
    }
    // Conditions are kstatus-shaped.
    var conditions = ready.getStatus().getConditions();
    assertThat(Conditions.find(conditions, "Reconciling").orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(Conditions.find(conditions, "Stalled").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(Conditions.find(conditions, "Ready").orElseThrow().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    // Events on the transitions.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(h.events(ns))
                    .filteredOn(e -> Reasons.PROVISIONED.equals(e.getReason()))
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.getMessage())
                                .contains("created database " + database)
                                .contains("created user " + user)));
  }

  @Test
  void theAppUserIsConfinedToItsDatabase() throws Exception {
    String ns = ns();
    h.create(adb(ns, "alpha"));
    h.create(adb(ns, "beta"));
    Map<String, String> a = readySecret(ns, "alpha");
    Map<String, String> b = readySecret(ns, "beta");
    assertThat(db.canLogin(a.get("DB_NAME"), a.get("DB_USER"), a.get("DB_PASSWORD"))).isTrue();
    if (db.engine() == io.appdb.operator.api.v1alpha1.Engine.POSTGRESQL) {
      // PUBLIC has no CONNECT on the other tenant's database.
      assertThat(db.canLogin(b.get("DB_NAME"), a.get("DB_USER"), a.get("DB_PASSWORD"))).isFalse();
    } else {
      assertThat(db.canLogin(b.get("DB_NAME"), a.get("DB_USER"), a.get("DB_PASSWORD"))).isFalse();
    }
  }

  @Test
  void serviceBindingAndTemplateKeys() {
    String ns = ns();
    AppDatabase adb = adb(ns, "bound");
    adb.getSpec().getSecret().setServiceBinding(true);
    adb.getSpec()
        .getSecret()
        .setTemplate(
            Map.of(
                "CUSTOM_URL",
                "x://{{ .Username }}:{{.Password}}@{{ .Host }}:{{ .Port }}/{{ .Database }}?e={{ .Engine }}"));
    adb.getSpec().getSecret().setLabels(Map.of("team", "blue"));
    adb.getSpec().getSecret().setAnnotations(Map.of("reloader.stakater.com/match", "true"));
    h.create(adb);
    Map<String, String> data = readySecret(ns, "bound");
    assertThat(data)
        .containsKeys(
            "type",
            "provider",
            "host",
            "port",
            "database",
            "username",
            "password",
            "uri",
            "jdbc-url");
    assertThat(data.get("password")).isEqualTo(data.get("DB_PASSWORD"));
    assertThat(data.get("CUSTOM_URL"))
        .isEqualTo(
            "x://"
                + data.get("DB_USER")
                + ":"
                + data.get("DB_PASSWORD")
                + "@"
                + data.get("DB_HOST")
                + ":"
                + data.get("DB_PORT")
                + "/"
                + data.get("DB_NAME")
                + "?e="
                + db.engine().value());
    Secret s = h.secret(ns, "bound-db").orElseThrow();
    assertThat(s.getMetadata().getLabels()).containsEntry("team", "blue");
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry("reloader.stakater.com/match", "true");
  }

  @Test
  void aReconcileThatChangesNothingWritesNothing() {
    String ns = ns();
    h.create(adb(ns, "quiet"));
    readySecret(ns, "quiet");
    // Let the follow-up reconciles triggered by our own writes settle.
    sleep(RESYNC.multipliedBy(2));
    h.drainRequests();
    sleep(RESYNC.multipliedBy(3)); // at least two periodic resyncs of every AppDatabase
    List<RecordedRequest> writes = OperatorHarness.writes(h.drainRequests());
    assertThat(writes)
        .as(
            "API writes in steady state: %s",
            writes.stream()
                .map(r -> r.getMethod() + " " + r.getPath() + " " + r.getBody().readUtf8())
                .toList())
        .isEmpty();
  }

  @Test
  void deletingTheSecretIssuesANewPassword() {
    String ns = ns();
    h.create(adb(ns, "rotate"));
    Map<String, String> before = readySecret(ns, "rotate");
    h.client().secrets().inNamespace(ns).withName("rotate-db").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                h.secret(ns, "rotate-db")
                    .map(
                        s -> !s.getData().get("DB_PASSWORD").equals(b64(before.get("DB_PASSWORD"))))
                    .orElse(false));
    Map<String, String> after = readySecret(ns, "rotate");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.canLogin(after.get("DB_NAME"), after.get("DB_USER"), after.get("DB_PASSWORD")));
    assertThat(db.canLogin(before.get("DB_NAME"), before.get("DB_USER"), before.get("DB_PASSWORD")))
        .isFalse();
  }

  @Test
  void aPasswordEditedInTheSecretIsApplied() {
    String ns = ns();
    h.create(adb(ns, "edited"));
    Map<String, String> before = readySecret(ns, "edited");
    String chosen = "Chosen-By-Hand_" + SEQ.incrementAndGet() + "pw";
    secretsSeen.add(chosen);
    Secret s = h.secret(ns, "edited-db").orElseThrow();
    s.getData().put("DB_PASSWORD", b64(chosen));
    h.client().secrets().inNamespace(ns).resource(s).update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> db.canLogin(before.get("DB_NAME"), before.get("DB_USER"), chosen));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.secretData(ns, "edited-db").get("DATABASE_URL").contains(chosen));
    assertThat(db.canLogin(before.get("DB_NAME"), before.get("DB_USER"), before.get("DB_PASSWORD")))
        .isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(h.events(ns))
                    .extracting(Event::getReason)
                    .contains(Reasons.PASSWORD_APPLIED));
  }

  @Test
  void aSecretItDoesNotOwnIsNeverOverwritten() throws Exception {
    String ns = ns();
    Secret foreign =
        new SecretBuilder()
            .withNewMetadata()
            .withName("taken-db")
            .withNamespace(ns)
            .endMetadata()
            .withData(Map.of("mine", b64("keep me")))
            .build();
    h.client().secrets().inNamespace(ns).resource(foreign).create();
    h.create(adb(ns, "taken"));
    AppDatabase stalled = h.awaitCondition(ns, "taken", "Stalled", "True", Reasons.SECRET_CONFLICT);
    assertThat(h.secretData(ns, "taken-db")).containsOnlyKeys("mine");
    assertThat(stalled.getStatus().getConditions())
        .anyMatch(c -> c.getMessage().contains("taken-db"));
    assertThat(db.userExists(stalled.getStatus().getUsername())).isFalse();
  }

  @Test
  void anExistingDatabaseIsNeverAdopted() throws Exception {
    String ns = ns();
    String name = "preexisting_" + SEQ.incrementAndGet();
    db.execute("CREATE DATABASE " + name);
    AppDatabase adb = adb(ns, "adopt");
    adb.getSpec().setDatabaseName(name);
    h.create(adb);
    h.awaitCondition(ns, "adopt", "Stalled", "True", Reasons.DATABASE_EXISTS);
    assertThat(h.secret(ns, "adopt-db")).isEmpty();
    assertThat(db.userExists(name + "_user")).isFalse();
  }

  @Test
  void anExistingUserIsNeverAdopted() throws Exception {
    String ns = ns();
    String user = "squatter_" + SEQ.incrementAndGet();
    createUserByHand(user);
    AppDatabase adb = adb(ns, "squat");
    adb.getSpec().setUsername(user);
    h.create(adb);
    h.awaitCondition(ns, "squat", "Stalled", "True", Reasons.USER_EXISTS);
    assertThat(db.databaseExists(h.get(ns, "squat").getStatus().getDatabaseName())).isFalse();
  }

  protected abstract void createUserByHand(String user) throws SQLException;

  @Test
  void aNameOwnedByAnotherAppDatabaseIsRefused() {
    String ns1 = ns();
    String ns2 = ns();
    String name = "shared_" + SEQ.incrementAndGet();
    AppDatabase first = adb(ns1, "first");
    first.getSpec().setDatabaseName(name);
    h.create(first);
    readySecret(ns1, "first");
    AppDatabase second = adb(ns2, "second");
    second.getSpec().setDatabaseName(name);
    second.getSpec().setUsername(name + "_other");
    h.create(second);
    AppDatabase stalled =
        h.awaitCondition(ns2, "second", "Stalled", "True", Reasons.DATABASE_CLAIMED);
    assertThat(
            Conditions.find(stalled.getStatus().getConditions(), "Stalled")
                .orElseThrow()
                .getMessage())
        .contains(ns1 + "/first");
    assertThat(h.secret(ns2, "second-db")).isEmpty();
  }

  @Test
  void invalidSpecStallsBeforeAnySql() throws Exception {
    String ns = ns();
    AppDatabase bad = adb(ns, "bad");
    bad.getSpec().setDatabaseName("Robert'); DROP TABLE students;--");
    h.create(bad);
    AppDatabase stalled = h.awaitCondition(ns, "bad", "Stalled", "True", Reasons.INVALID_SPEC);
    assertThat(
            Conditions.find(stalled.getStatus().getConditions(), "Stalled")
                .orElseThrow()
                .getMessage())
        .contains("databaseName");
    AppDatabase badTemplate = adb(ns, "badtemplate");
    badTemplate.getSpec().getSecret().setTemplate(Map.of("X", "{{ .Password | printf }}"));
    h.create(badTemplate);
    h.awaitCondition(ns, "badtemplate", "Stalled", "True", Reasons.INVALID_SPEC);
    assertThat(h.secret(ns, "badtemplate-db")).isEmpty();
    assertThat(db.databaseExists(NameRules.deriveDatabaseName(db.engine(), ns, "badtemplate")))
        .isFalse();
  }

  @Test
  void namespacePolicyIsEnforced() throws Exception {
    String restricted = "restricted-" + db.engine().value();
    h.registerServer(
        restricted,
        db.engine(),
        db.host(),
        db.port(),
        db.adminUser(),
        db.adminPassword(),
        spec -> {
          AllowedNamespaces allowed = new AllowedNamespaces();
          allowed.setNames(List.of("listed-" + db.engine().value()));
          LabelSelector selector = new LabelSelector();
          selector.setMatchLabels(Map.of("appdb.io/tenant", "true"));
          allowed.setSelector(selector);
          spec.setAllowedNamespaces(allowed);
        });
    h.awaitServer(restricted, "True", Reasons.CONNECTED);
    String outsider = ns();
    String labelled = "labelled-" + db.engine().value();
    h.namespace(labelled, Map.of("appdb.io/tenant", "true"));

    AppDatabase refused = adb(outsider, "nope");
    refused.getSpec().setServerRef(new ServerRef(restricted));
    h.create(refused);
    h.awaitCondition(outsider, "nope", "Stalled", "True", Reasons.NAMESPACE_NOT_ALLOWED);
    assertThat(db.databaseExists(NameRules.deriveDatabaseName(db.engine(), outsider, "nope")))
        .isFalse();

    AppDatabase allowed = adb(labelled, "yes");
    allowed.getSpec().setServerRef(new ServerRef(restricted));
    h.create(allowed);
    readySecret(labelled, "yes");
  }

  @Test
  void connectionLimitIsApplied() throws Exception {
    String ns = ns();
    AppDatabase adb = adb(ns, "limited");
    adb.getSpec().setConnectionLimit(7);
    h.create(adb);
    Map<String, String> data = readySecret(ns, "limited");
    assertThat(db.connectionLimit(data.get("DB_USER"))).isEqualTo(7);
  }

  @Test
  void retainKeepsEverythingAndReattaches() throws Exception {
    String ns = ns();
    h.create(adb(ns, "kept"));
    Map<String, String> first = readySecret(ns, "kept");
    // Retain needs nothing done on deletion: no finalizer, so nothing waits for the operator.
    assertThat(h.get(ns, "kept").getMetadata().getFinalizers()).isNullOrEmpty();
    writeRow(first);
    h.client().resource(h.get(ns, "kept")).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> h.get(ns, "kept") == null);
    assertThat(db.databaseExists(first.get("DB_NAME"))).isTrue();
    assertThat(db.userExists(first.get("DB_USER"))).isTrue();
    // The mock API server does not garbage-collect; do what the real one does for the Secret.
    h.client().secrets().inNamespace(ns).withName("kept-db").delete();

    h.create(adb(ns, "kept"));
    Map<String, String> second = readySecret(ns, "kept");
    assertThat(second.get("DB_NAME")).isEqualTo(first.get("DB_NAME"));
    assertThat(second.get("DB_PASSWORD")).isNotEqualTo(first.get("DB_PASSWORD"));
    assertThat(readRow(second)).isEqualTo("kept data");
  }

  @Test
  void deletePolicyEndsSessionsAndDropsEverything() throws Exception {
    String ns = ns();
    Map<String, String> data = readyWithDeletePolicy(ns, "gone");
    assertThat(h.get(ns, "gone").getMetadata().getFinalizers()).isNotEmpty();
    try (Connection open =
        db.login(data.get("DB_NAME"), data.get("DB_USER"), data.get("DB_PASSWORD"))) {
      h.client().resource(h.get(ns, "gone")).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> h.get(ns, "gone") == null);
      assertThat(db.databaseExists(data.get("DB_NAME"))).isFalse();
      assertThat(db.userExists(data.get("DB_USER"))).isFalse();
      assertThat(open.isValid(2)).as("the open session was ended").isFalse();
    }
    assertThat(h.events(ns)).extracting(Event::getReason).contains(Reasons.DELETED);
    // The name is free again: a new AppDatabase elsewhere may take it.
    String other = ns();
    AppDatabase reuse = adb(other, "reuse");
    reuse.getSpec().setDatabaseName(data.get("DB_NAME"));
    reuse.getSpec().setUsername(data.get("DB_USER"));
    h.create(reuse);
    readySecret(other, "reuse");
  }

  @Test
  void deletionDropsOnlyWhatItStillOwnsAndSaysSoOnlyWhenItDropped() throws Exception {
    String ns = ns();
    Map<String, String> data = readyWithDeletePolicy(ns, "done");
    // As after an earlier deletion attempt that dropped everything and then lost the race to
    // remove the finalizer (or as after a person released the names by hand): no claims left.
    db.deleteClaimsOf(ns, "done");
    h.client().resource(h.get(ns, "done")).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> h.get(ns, "done") == null);
    assertThat(db.databaseExists(data.get("DB_NAME"))).as("not claimed, so not dropped").isTrue();
    assertThat(db.userExists(data.get("DB_USER"))).isTrue();
    assertThat(h.events(ns)).extracting(Event::getReason).doesNotContain(Reasons.DELETED);
  }

  @Test
  void anAppDatabaseThatNeverReachedItsServerGetsNoFinalizer() throws Exception {
    String ns = ns();
    AppDatabase bad = adb(ns, "unplannable");
    bad.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bad.getSpec().setDatabaseName("Robert'); DROP TABLE students;--");
    h.create(bad);
    AppDatabase stalled =
        h.awaitCondition(ns, "unplannable", "Stalled", "True", Reasons.INVALID_SPEC);
    // Nothing was created on a server, so nothing must be dropped: deletion need not wait for
    // the operator.
    assertThat(stalled.getMetadata().getFinalizers()).isNullOrEmpty();
    h.client().resource(stalled).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> h.get(ns, "unplannable") == null);
  }

  @Test
  void theFinalizerFollowsTheDeletionPolicy() throws Exception {
    String ns = ns();
    readyWithDeletePolicy(ns, "switch");
    assertThat(h.get(ns, "switch").getMetadata().getFinalizers())
        .containsExactly(AppDatabaseReconciler.FINALIZER);

    AppDatabase retain = h.get(ns, "switch");
    retain.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    h.client().resource(retain).update();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.get(ns, "switch").getMetadata().getFinalizers().isEmpty());
    h.client().resource(h.get(ns, "switch")).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> h.get(ns, "switch") == null);
  }

  @Test
  void wrongAdminPasswordIsReportedAndHealsWhenFixed() {
    String name = "flaky-" + db.engine().value();
    h.registerServer(name, db.engine(), db.host(), db.port(), db.adminUser(), "wrong-password");
    h.awaitServer(name, "False", Reasons.ADMIN_CREDENTIALS_INVALID);
    h.writeAdminSecret(name + "-admin", db.adminUser(), db.adminPassword());
    h.awaitServer(name, "True", Reasons.CONNECTED);
  }

  /** Creates an AppDatabase with deletionPolicy Delete and returns its Secret once Ready. */
  private Map<String, String> readyWithDeletePolicy(String ns, String name) {
    AppDatabase adb = adb(ns, name);
    adb.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    h.create(adb);
    return readySecret(ns, name);
  }

  private void writeRow(Map<String, String> d) throws SQLException {
    try (Connection c = db.login(d.get("DB_NAME"), d.get("DB_USER"), d.get("DB_PASSWORD"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (body VARCHAR(100))");
      s.execute("INSERT INTO notes VALUES ('kept data')");
    }
  }

  private String readRow(Map<String, String> d) throws SQLException {
    try (Connection c = db.login(d.get("DB_NAME"), d.get("DB_USER"), d.get("DB_PASSWORD"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT body FROM notes")) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
