package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.DatabaseServer;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.ServerRef;
import io.appdb.operator.reconciler.ProvisioningSteps.Step;
import io.appdb.operator.status.Reasons;
import io.appdb.operator.testing.PostgresServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A reconcile with nothing new to apply that comes right after a full check (in a burst, a queued
 * reconcile can run just behind the one that provisioned) is answered by that check: no second
 * login. Once the check is older than the snapshot age, the next one checks the server again.
 */
class RecentCheckIT {
  private static final Duration RESYNC = Duration.ofMinutes(10);

  /** CatalogSnapshots.MAX_AGE: with a resync of 10 min, the age of a snapshot or check. */
  private static final Duration CHECK_AGE = Duration.ofSeconds(5);

  private final Map<Step, AtomicInteger> steps = new ConcurrentHashMap<>();

  private int count(Step step) {
    AtomicInteger n = steps.get(step);
    return n == null ? 0 : n.get();
  }

  @Test
  void aResyncRightAfterAFullCheckDoesNotLogInAgain() throws Exception {
    PostgresServer pg = PostgresServer.shared(17);
    try (OperatorHarness h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withSqlTimeout(Duration.ofSeconds(5))
                .withResyncInterval(RESYNC)
                .withSteps(
                    (step, appDatabase) -> {
                      if (appDatabase.equals("recent/app")) {
                        steps.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
                      }
                    }))) {
      h.registerServer(
          "recent-pg", Engine.POSTGRESQL, pg.host(), pg.port(), pg.adminUser(), pg.adminPassword());
      h.awaitServer("recent-pg", "True", Reasons.CONNECTED);
      h.namespace("recent", Map.of());
      AppDatabase adb = new AppDatabase();
      adb.getMetadata().setNamespace("recent");
      adb.getMetadata().setName("app");
      adb.setSpec(new AppDatabaseSpec());
      adb.getSpec().setServerRef(new ServerRef("recent-pg"));
      h.create(adb);
      h.awaitReady("recent", "app");
      assertThat(count(Step.LOGIN_CHECK)).isEqualTo(1);

      // Marking its server default (a change every AppDatabase on it hears) triggers a reconcile
      // with nothing to apply.
      markDefault(h, "true");
      await().atMost(Duration.ofSeconds(10)).until(() -> count(Step.RESYNC) >= 1);
      assertThat(count(Step.VERIFY)).as("answered by the check just made").isZero();
      assertThat(count(Step.CLAIM)).isEqualTo(1);

      // Later than the snapshot age, the server is checked again: snapshot and login.
      Thread.sleep(CHECK_AGE.toMillis() + 500);
      markDefault(h, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> count(Step.RESYNC) >= 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> count(Step.VERIFY) == 1);
      assertThat(count(Step.CLAIM)).isEqualTo(1);
    }
  }

  private static void markDefault(OperatorHarness h, String value) {
    h.client()
        .resources(DatabaseServer.class)
        .withName("recent-pg")
        .edit(
            server -> {
              Map<String, String> annotations = new java.util.HashMap<>();
              if (server.getMetadata().getAnnotations() != null) {
                annotations.putAll(server.getMetadata().getAnnotations());
              }
              if (value == null) {
                annotations.remove(DatabaseServer.DEFAULT_SERVER_ANNOTATION);
              } else {
                annotations.put(DatabaseServer.DEFAULT_SERVER_ANNOTATION, value);
              }
              server.getMetadata().setAnnotations(annotations);
              return server;
            });
  }
}
