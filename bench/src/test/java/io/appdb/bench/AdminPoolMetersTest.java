package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminPoolMetersTest {
  /**
   * The limit closes its engines, and with them HikariCP's timers, at the end of each burst, before
   * the burst's closing reading: what a closed pool's timers counted must stay in the readings.
   */
  @Test
  void aClosedPoolsTimersStillCount() {
    Meters meters = new Meters(null);
    Timer first = usage(meters, "limit-mariadb");
    first.record(Duration.ofMillis(5));
    first.record(Duration.ofMillis(5));
    Timer.builder("hikaricp.connections.acquire")
        .tag("pool", "limit-mariadb")
        .register(meters.registry)
        .record(Duration.ofMillis(7));
    usage(meters, "shared-mariadb").record(Duration.ofMillis(1));

    meters.registry.remove(first);
    usage(meters, "limit-mariadb").record(Duration.ofMillis(3));

    assertThat(meters.pools().get("limit-mariadb|usage")).containsExactly(3.0, 13.0);
    assertThat(meters.pools().get("limit-mariadb|acquire")).containsExactly(1.0, 7.0);
    assertThat(meters.pools().get("shared-mariadb|usage")).containsExactly(1.0, 1.0);
  }

  private static Timer usage(Meters meters, String pool) {
    return Timer.builder("hikaricp.connections.usage").tag("pool", pool).register(meters.registry);
  }
}
