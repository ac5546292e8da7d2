package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
  private static final long BURN_MILLIS = 1000;

  /** Keeps the spin loop's result alive. */
  private static volatile long sink;

  /**
   * A thread that ends between two readings still counts for its owner. Before the tracker, the CPU
   * of the bench's ended HTTP threads fell into "process minus the others" and was billed to the
   * operator.
   */
  @Test
  void anEndedThreadCountsForItsOwner() throws Exception {
    try (CpuMeter meter = new CpuMeter()) {
      CpuMeter.Sample before = meter.sample();
      Thread bench = new Thread(CpuMeterTest::burn, "bench-burner");
      bench.start();
      bench.join();
      Thread operator = new Thread(CpuMeterTest::burn, "reconciler-burner");
      operator.start();
      operator.join();
      CpuMeter.Usage usage = CpuMeter.between(before, meter.sample());

      // Up to one tracking period of each thread's last CPU is lost.
      long lost = 2 * CpuMeter.TRACK_PERIOD_MILLIS;
      assertThat(usage.bench()).isBetween(BURN_MILLIS - lost, BURN_MILLIS + lost);
      assertThat(usage.operatorThreads()).isBetween(BURN_MILLIS - lost, BURN_MILLIS + lost);
      assertThat(usage.operatorByGroup().get("reconciler-burner"))
          .isBetween(BURN_MILLIS - lost, BURN_MILLIS + lost);
    }
  }

  /** Spins until this thread has used {@link #BURN_MILLIS} of CPU. */
  private static void burn() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long until = threads.getCurrentThreadCpuTime() + BURN_MILLIS * 1_000_000;
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < until) {
      x += System.nanoTime() % 7;
    }
    sink = x;
  }
}
