package io.appdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time of this JVM, split by thread owner. The mock API server (Vert.x threads) and the bench
 * (its own threads and its HTTP clients) run in the same process as the operator. The operator's
 * share is the process CPU minus theirs: that includes the JVM's GC and JIT (not Java threads) and
 * threads that ended during the phase (JOSDK's reconciler pool retires idle threads), which a sum
 * over live threads would miss. The live operator threads alone are reported as a lower bound.
 */
final class CpuMeter {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Set<String> benchClientPrefixes = ConcurrentHashMap.newKeySet();

  /** Cumulative CPU in milliseconds. */
  record Sample(long process, Map<Long, Long> byThread, Map<Long, String> owner) {}

  /**
   * Delta in milliseconds. {@code operator} = process - mock API - bench; {@code operatorThreads}
   * counts only operator threads alive at both ends; {@code jvm} is GC, JIT and ended threads.
   */
  record Usage(
      long process, long operator, long operatorThreads, long mockApi, long bench, long jvm) {}

  CpuMeter() {
    threads.setThreadCpuTimeEnabled(true);
  }

  /**
   * Marks the JDK HTTP client threads that exist now (HttpClient-&lt;id&gt;-...) as the bench's;
   * called after the bench's clients made their first request and before the operator's client
   * exists.
   */
  void claimExistingHttpClientThreads() {
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("HttpClient-")) {
        String name = t.getThreadName();
        int dash = name.indexOf('-', "HttpClient-".length());
        benchClientPrefixes.add(name.substring(0, dash + 1));
      }
    }
  }

  Sample sample() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> owner = new HashMap<>();
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long t = threads.getThreadCpuTime(ids[i]);
      if (t >= 0 && infos[i] != null) {
        cpu.put(ids[i], t / 1_000_000);
        owner.put(ids[i], ownerOf(infos[i].getThreadName()));
      }
    }
    return new Sample(os.getProcessCpuTime() / 1_000_000, cpu, owner);
  }

  private String ownerOf(String name) {
    if (name.startsWith("vert.x") || name.startsWith("vertx")) {
      return "mock";
    }
    if (name.startsWith("bench-") || name.equals("main")) {
      return "bench";
    }
    for (String prefix : benchClientPrefixes) {
      if (name.startsWith(prefix)) {
        return "bench";
      }
    }
    return "operator";
  }

  static Usage between(Sample before, Sample after) {
    long operator = 0;
    long mock = 0;
    long bench = 0;
    for (var e : after.byThread().entrySet()) {
      long d = e.getValue() - before.byThread().getOrDefault(e.getKey(), 0L);
      switch (after.owner().get(e.getKey())) {
        case "mock" -> mock += d;
        case "bench" -> bench += d;
        default -> operator += d;
      }
    }
    long process = after.process() - before.process();
    return new Usage(
        process, process - mock - bench, operator, mock, bench, process - operator - mock - bench);
  }
}
