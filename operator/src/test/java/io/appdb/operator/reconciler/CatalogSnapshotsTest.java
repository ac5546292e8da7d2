package io.appdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.appdb.operator.engine.CatalogSnapshot;
import io.appdb.operator.engine.DatabaseEngine;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CatalogSnapshotsTest {
  private final AtomicInteger reads = new AtomicInteger();

  /** An engine whose only working method is snapshot(), counting the reads. */
  private final DatabaseEngine engine =
      (DatabaseEngine)
          Proxy.newProxyInstance(
              DatabaseEngine.class.getClassLoader(),
              new Class<?>[] {DatabaseEngine.class},
              (proxy, method, args) -> {
                if (!method.getName().equals("snapshot")) {
                  throw new UnsupportedOperationException(method.getName());
                }
                int read = reads.incrementAndGet();
                Thread.sleep(50); // a read takes a while: concurrent callers must wait for it
                return (CatalogSnapshot) expected -> read > 0; // a new instance per read
              });

  @Test
  void resyncsWithinTheMaximumAgeShareOneRead() throws Exception {
    CatalogSnapshots snapshots = new CatalogSnapshots(Duration.ofMinutes(10));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<CatalogSnapshot>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return snapshots.get("pg", engine);
                }));
      }
      start.countDown();
      CatalogSnapshot first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<CatalogSnapshot> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
      assertThat(reads).hasValue(1);

      snapshots.get("mariadb", engine);
      assertThat(reads).hasValue(2); // one per server
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anOlderSnapshotIsReadAgainAndReleased() throws Exception {
    // Half of a 400 ms resync interval: 200 ms.
    CatalogSnapshots snapshots = new CatalogSnapshots(Duration.ofMillis(400));
    CatalogSnapshot first = snapshots.get("pg", engine);
    assertThat(snapshots.get("pg", engine)).isSameAs(first);

    Thread.sleep(300);
    CatalogSnapshot second = snapshots.get("pg", engine);

    assertThat(second).isNotSameAs(first);
    assertThat(reads).hasValue(2);
    await().atMost(Duration.ofSeconds(2)).until(() -> !snapshots.holds("pg"));
  }
}
