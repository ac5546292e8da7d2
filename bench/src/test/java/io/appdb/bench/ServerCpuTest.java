package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCpuTest {
  @Test
  void postgresProcessesAreToldApartByTheirTitle() {
    assertThat(PostgresStats.roleOf("/work/pg/bin/postgres -D /work/data -p 5432"))
        .isEqualTo("postmaster and ended backends");
    assertThat(PostgresStats.roleOf("postgres: checkpointer")).isEqualTo("checkpointer");
    assertThat(PostgresStats.roleOf("postgres: background writer")).isEqualTo("background writer");
    assertThat(PostgresStats.roleOf("postgres: autovacuum worker app_db1"))
        .isEqualTo("autovacuum worker");
    assertThat(PostgresStats.roleOf("postgres: appdb_admin postgres 127.0.0.1(40112) idle"))
        .isEqualTo("admin sessions");
    assertThat(PostgresStats.roleOf("postgres: postgres postgres 127.0.0.1(40114) SELECT"))
        .isEqualTo("the bench's observer");
    assertThat(PostgresStats.roleOf("postgres: shop_orders shop_orders 127.0.0.1(40120) idle"))
        .isEqualTo("login checks");
  }

  /**
   * A backend alive at the first sample that has ended by the second: its time moves into the
   * postmaster's reaped children, and the role it had must come out negative so that the total is
   * right.
   */
  @Test
  void aRoleWhoseProcessesEndedCountsNegativeSoTheTotalHolds() {
    SqlSample before =
        new SqlSample(
            0,
            0,
            0,
            0,
            Map.of(),
            Map.of("postmaster and ended backends", 100L, "login checks", 30L));
    SqlSample after =
        new SqlSample(0, 0, 0, 0, Map.of(), Map.of("postmaster and ended backends", 150L));

    SqlSample d = after.minus(before);

    assertThat(d.serverCpuMillisByRole())
        .containsEntry("postmaster and ended backends", 50L)
        .containsEntry("login checks", -30L);
    assertThat(d.serverCpuMillis()).isEqualTo(20L);
  }
}
