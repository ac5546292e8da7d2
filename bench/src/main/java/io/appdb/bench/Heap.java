package io.appdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

final class Heap {
  private Heap() {}

  /** Used heap after full collections; several rounds so that finalizable objects go too. */
  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Sleep.millis(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
