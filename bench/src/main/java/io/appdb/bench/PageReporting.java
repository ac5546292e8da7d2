package io.appdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The guest kernel's free page reporting (virtio-balloon): free memory the VM hands back to the
 * hypervisor. A process that next allocates such a page waits for the hypervisor to fault it in
 * again: on the machine of 2026-12-06 a first touch cost about 7.5 µs per 4 KiB page beyond the
 * memory the VM still held, against 1.5 µs within it (a touch loop over 8 GiB and over 1 GiB). The
 * bench reads the kernel's running total for each window and waits for the hand-back to be still
 * before one starts, so that no window pays for the reporting itself. There is no other source for
 * it: the kernel counts it only here.
 */
final class PageReporting {
  static final Path REPORTED_KIB = Path.of("/sys/module/page_reporting/parameters/reported_kib");
  private static final Path VMSTAT = Path.of("/proc/vmstat");

  /** How long the hand-back must have been still before a window starts. */
  static final long QUIET_MILLIS = 4000;

  /** The longest wait for it (the hand-back after 1000 deletions took 10-25 s here). */
  static final long QUIET_TIMEOUT_MILLIS = 120_000;

  private PageReporting() {}

  /** KiB handed back since boot; -1 where the kernel does not report free pages. */
  static long reportedKib() {
    try {
      return Long.parseLong(Files.readString(REPORTED_KIB).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Page faults of every process since boot ({@code pgfault} in /proc/vmstat); -1 if unknown. */
  static long pageFaults() {
    try {
      List<String> lines = Files.readAllLines(VMSTAT);
      for (String line : lines) {
        if (line.startsWith("pgfault ")) {
          return Long.parseLong(line.substring("pgfault ".length()).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux.
    }
    return -1;
  }

  /**
   * Waits until the kernel has handed nothing back for {@link #QUIET_MILLIS}, at most {@link
   * #QUIET_TIMEOUT_MILLIS}; returns the KiB it handed back meanwhile (0 where it reports nothing).
   */
  static long awaitQuiet() {
    long first = reportedKib();
    if (first < 0) {
      return 0;
    }
    long last = first;
    long quietSince = System.nanoTime();
    long deadline = quietSince + QUIET_TIMEOUT_MILLIS * 1_000_000;
    while (System.nanoTime() - quietSince < QUIET_MILLIS * 1_000_000
        && System.nanoTime() < deadline) {
      Sleep.millis(250);
      long now = reportedKib();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
    return last - first;
  }
}
