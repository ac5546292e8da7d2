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
 * A reconcile with nothing new to apply that comes within half a resync interval of a full check
 * (in a burst, a queued reconcile can run seconds behind the one that provisioned) is answered by
 * that check: no second login. The next check still comes one resync interval after the last one,
 * not one interval after the reconcile it answered.
 */
class RecentCheckIT {
  /** Half of it, 8 s, answers; the catalog snapshot's age is 5 s. */
  private static final Duration RESYNC = Duration.ofSeconds(16);

  /** Later than the snapshot's age (the window before), within half the resync interval. */
  private static final Duration ANSWERED_AFTER = Duration.ofSeconds(6);

  private final Map<Step, AtomicInteger> steps = new ConcurrentHashMap<>();
  private final Map<Step, Long> lastAt = new ConcurrentHashMap<>();

  private int count(Step step) {
    AtomicInteger n = steps.get(step);
    return n == null ? 0 : n.get();
  }

  @Test
  void aReconcileSoonAfterAFullCheckIsAnsweredAndTheNextCheckStaysDue() throws Exception {
    PostgresServer pg = PostgresServer.shared(17);
    try (OperatorHarness h =
        OperatorHarness.start(
            OperatorRuntime.Options.defaults()
                .withSqlTimeout(Duration.ofSeconds(5))
                .withResyncInterval(RESYNC)
                .withSteps(
                    (step, appDatabase) -> {
                      if (appDatabase.equals("recent/app")) {
                        lastAt.put(step, System.nanoTime());
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
      long checked = lastAt.get(Step.LOGIN_CHECK);

      // Marking its server default (a change every AppDatabase on it hears) triggers a reconcile
      // with nothing to apply.
      assertThat(count(Step.RESYNC)).isZero();
      Thread.sleep(
          Math.max(0, ANSWERED_AFTER.toMillis() - (System.nanoTime() - checked) / 1_000_000));
      markDefault(h, "true");
      await().atMost(Duration.ofSeconds(10)).until(() -> count(Step.RESYNC) >= 1);
      assertThat(count(Step.VERIFY)).as("answered by the check made 6 s before").isZero();
      assertThat(count(Step.CLAIM)).isEqualTo(1);
      long answered = lastAt.get(Step.RESYNC);

      // The periodic resync checks the server again (snapshot and login), one interval after the
      // provisioning's check: had the answer restarted the interval, it would come 6 s later.
      await().atMost(RESYNC.plusSeconds(10)).until(() -> count(Step.VERIFY) == 1);
      long verifiedAfter = (lastAt.get(Step.VERIFY) - checked) / 1_000_000;
      assertThat(verifiedAfter)
          .as("ms from the provisioning's check to the next check")
          .isBetween(
              RESYNC.toMillis(), (answered - checked) / 1_000_000 + RESYNC.toMillis() - 2000);
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
