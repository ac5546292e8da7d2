package io.appdb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PageReportingTest {
  @Test
  void pageFaultsCountWhatThisProcessTouches() {
    assumeTrue(Files.isReadable(java.nio.file.Path.of("/proc/vmstat")), "Linux only");
    long before = PageReporting.pageFaults();
    // 64 MiB of fresh memory, one write per 4 KiB page: at least that many faults machine-wide.
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(64 << 20);
    for (int i = 0; i < buffer.capacity(); i += 4096) {
      buffer.put(i, (byte) 1);
    }
    long after = PageReporting.pageFaults();

    assertThat(before).isPositive();
    assertThat(after - before).isGreaterThanOrEqualTo((64 << 20) / 4096 / 2);
  }

  @Test
  void withoutFreePageReportingNothingIsWaitedFor() {
    assumeTrue(
        !Files.exists(PageReporting.REPORTED_KIB), "this machine reports free pages to its host");
    assertThat(PageReporting.reportedKib()).isEqualTo(-1);
    long start = System.nanoTime();
    assertThat(PageReporting.awaitQuiet()).isZero();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(PageReporting.QUIET_MILLIS);
  }

  @Test
  void theHandBackIsARunningTotal() {
    assumeTrue(Files.exists(PageReporting.REPORTED_KIB), "no free page reporting here");
    long first = PageReporting.reportedKib();
    long waited = PageReporting.awaitQuiet();

    assertThat(first).isNotNegative();
    assertThat(waited).isNotNegative();
    assertThat(PageReporting.reportedKib()).isGreaterThanOrEqualTo(first + waited);
  }
}
