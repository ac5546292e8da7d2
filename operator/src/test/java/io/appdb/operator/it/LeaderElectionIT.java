package io.appdb.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.api.v1alpha1.Engine;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances against one API server: only the Lease holder reconciles, and when it
 * stops the other takes over. Reconciles are counted with JOSDK's own Micrometer metrics of each
 * instance.
 */
class LeaderElectionIT {
  private static final String LEASE_NS = "appdb-system";

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOver() throws Exception {
    try (OperatorHarness h = OperatorHarness.start();
        ServerSocket silent = new ServerSocket(0)) {
      h.stopOperator(); // the harness's own instance runs without election; use two that elect
      h.namespace(LEASE_NS, java.util.Map.of());
      // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the CRUD mock
      // cannot answer; answer it as an API server granting the chart's Lease rule would.
      h.api()
          .expect()
          .post()
          .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
          .andReturn(
              201,
              new SelfSubjectRulesReviewBuilder()
                  .withNewStatus()
                  .addNewResourceRule()
                  .withApiGroups("coordination.k8s.io")
                  .withResources("leases")
                  .withVerbs("get", "create", "update")
                  .endResourceRule()
                  .withIncomplete(false)
                  .endStatus()
                  .build())
          .always();
      MeterRegistry first = new SimpleMeterRegistry();
      MeterRegistry second = new SimpleMeterRegistry();
      OperatorRuntime a = OperatorRuntime.start(h.client(), options(first, "instance-a"));
      await().atMost(Duration.ofSeconds(30)).until(() -> holder(h) != null);
      OperatorRuntime b = OperatorRuntime.start(h.client(), options(second, "instance-b"));
      try {
        assertThat(holder(h)).isEqualTo("instance-a");
        // Work for the operators: a server nobody answers for, retried with backoff.
        h.registerServer(
            "elected", Engine.POSTGRESQL, "127.0.0.1", silent.getLocalPort(), "admin", "pw");
        await().atMost(Duration.ofSeconds(30)).until(() -> started(first) > 0);
        AppDatabaseOperatorContract.sleep(Duration.ofSeconds(3));
        assertThat(started(second)).as("the follower must not reconcile").isZero();

        a.close();
        await().atMost(Duration.ofSeconds(40)).until(() -> "instance-b".equals(holder(h)));
        await().atMost(Duration.ofSeconds(30)).until(() -> started(second) > 0);
      } finally {
        b.close();
        a.close();
      }
    }
  }

  private static OperatorRuntime.Options options(MeterRegistry registry, String identity) {
    return OperatorRuntime.Options.defaults()
        .withSqlTimeout(Duration.ofSeconds(2))
        .withMeterRegistry(registry)
        .withLeaderElection(
            new LeaderElectionConfiguration(
                OperatorRuntime.LEASE_NAME,
                LEASE_NS,
                Duration.ofSeconds(6),
                Duration.ofSeconds(4),
                Duration.ofSeconds(1),
                identity,
                null,
                false));
  }

  private static String holder(OperatorHarness h) {
    Lease lease =
        h.client().leases().inNamespace(LEASE_NS).withName(OperatorRuntime.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static double started(MeterRegistry registry) {
    return Search.in(registry).name(n -> n.contains("reconciliations.started")).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
