package io.appdb.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of this JVM, split by thread owner. The mock API server (Vert.x threads) and the bench
 * (its own threads and its HTTP clients) run in the same process as the operator. The operator's
 * share is the process CPU minus theirs and minus the JVM's GC and JIT (not Java threads); what is
 * left over after the operator's threads is VM housekeeping.
 *
 * <p>Threads end during a phase: OkHttp's dispatcher retires a thread after a minute idle, and
 * JOSDK's reconciler pool can retire idle threads. A thread's CPU cannot be read once it has ended,
 * so a tracker reads every thread's CPU every {@link #TRACK_PERIOD_MILLIS} ms and an ended thread
 * counts, for its owner, with the last value read (at most one period of its CPU is lost). Without
 * it, the CPU of the bench's own HTTP threads that served the users' creates and ended before the
 * phase did was billed to the operator: at N = 5000 the create phase outlasts their idle minute.
 */
final class CpuMeter implements AutoCloseable {
  static final long TRACK_PERIOD_MILLIS = 200;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Set<Long> benchThreadIds = ConcurrentHashMap.newKeySet();

  /** Every thread seen so far, ended ones included, with its CPU when last read; by thread id. */
  private final Map<Long, Seen> seen = new HashMap<>();

  private record Seen(long cpuMillis, String owner, String group) {}

  private final ScheduledExecutorService tracker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-cpu-tracker");
            t.setDaemon(true);
            return t;
          });

  /**
   * A thread's name with its numbers left out, so that a pool's threads form one group ("pool-#-
   * thread-#" is JOSDK's reconciler pool); OkHttp names a thread after the call it runs. The
   * diagnostic trace ({@link StepTrace}) groups by the same rule.
   */
  static String group(String threadName) {
    return threadName.startsWith("OkHttp ") ? "OkHttp" : threadName.replaceAll("[0-9]+", "#");
  }

  /** Cumulative CPU in milliseconds. */
  record Sample(
      long process,
      Map<Long, Long> byThread,
      Map<Long, String> owner,
      Map<Long, String> group,
      long jit,
      long gc,
      long[] machine) {}

  /**
   * Delta in milliseconds. {@code operator} = process - mock API - bench - JIT - GC; {@code
   * operatorThreads} counts only the operator's threads (an ended one up to its last reading), and
   * {@code operatorByGroup} splits them by {@link #group}; {@code jit} and {@code gc} are the JVM's
   * compiler and collector threads, shared by everything in this process; {@code jvm} is what
   * remains (VM housekeeping, the last moments of threads that ended). {@code machine} is the CPU
   * every process on the machine used (the database servers included), and {@code steal} the time
   * the hypervisor gave the VM's CPUs to others.
   */
  record Usage(
      long process,
      long operator,
      long operatorThreads,
      Map<String, Long> operatorByGroup,
      long mockApi,
      long bench,
      long jit,
      long gc,
      long jvm,
      long machine,
      long steal) {}

  CpuMeter() {
    threads.setThreadCpuTimeEnabled(true);
    tracker.scheduleAtFixedRate(
        this::track, TRACK_PERIOD_MILLIS, TRACK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Reads the CPU of every live thread; ended threads keep their last value. */
  private synchronized void track() {
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long t = threads.getThreadCpuTime(ids[i]);
      if (t >= 0 && infos[i] != null) {
        String name = infos[i].getThreadName();
        seen.put(ids[i], new Seen(t / 1_000_000, ownerOf(ids[i], name), group(name)));
      }
    }
  }

  @Override
  public void close() {
    tracker.shutdownNow();
  }

  /**
   * Marks {@code thread} as the bench's: the threads of the bench's HTTP clients ({@link
   * BenchHttpClients}). Claimed by identity, because OkHttp renames a thread while it runs a call
   * ("OkHttp http://..."), the same for every client. OkHttp's shared housekeeping threads ("OkHttp
   * TaskRunner": idle-connection eviction, WebSocket frame writes) serve every client and cannot be
   * told apart; they count as the operator's, or in the limit's window as the limit's.
   */
  void claim(Thread thread) {
    benchThreadIds.add(thread.getId());
  }

  Sample sample() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> owner = new HashMap<>();
    Map<Long, String> group = new HashMap<>();
    synchronized (this) {
      track();
      seen.forEach(
          (id, s) -> {
            cpu.put(id, s.cpuMillis());
            owner.put(id, s.owner());
            group.put(id, s.group());
          });
    }
    long[] jvm = jvmThreadsMillis();
    return new Sample(
        os.getProcessCpuTime() / 1_000_000, cpu, owner, group, jvm[0], jvm[1], machineMillis());
  }

  /**
   * CPU of the whole machine in milliseconds, summed over its CPUs, from the first line of
   * /proc/stat: busy (user, nice, system, irq, softirq; guest time is inside user) and steal. Zeros
   * elsewhere than Linux.
   */
  static long[] machineMillis() {
    try {
      String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7}) {
        busy += Long.parseLong(f[i]);
      }
      return new long[] {busy * MILLIS_PER_TICK, Long.parseLong(f[8]) * MILLIS_PER_TICK};
    } catch (java.io.IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) in /proc. */
  private static final long MILLIS_PER_TICK = 10;

  /**
   * CPU of the JIT compiler threads and of the garbage collector's threads, in milliseconds, read
   * from /proc/self/task: the JVM hides these threads from ThreadMXBean. A JVM that is still
   * compiling spends a core on it during a burst; it compiles the mock API server's and the bench's
   * code too, so it is reported apart rather than billed to the operator. Zero elsewhere than
   * Linux.
   */
  static long[] jvmThreadsMillis() {
    long jit = 0;
    long gc = 0;
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return new long[] {0, 0};
    }
    for (java.io.File task : tasks) {
      String stat;
      try {
        stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
      } catch (java.io.IOException | RuntimeException e) {
        continue; // the thread ended while being read
      }
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open) {
        continue;
      }
      String name = stat.substring(open + 1, close);
      // Fields after the name: state is field 3; utime and stime are fields 14 and 15.
      String[] fields = stat.substring(close + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
        jit += ticks * MILLIS_PER_TICK;
      } else if (name.startsWith("GC Thread")
          || name.startsWith("G1 ")
          || name.equals("VM Thread")) {
        gc += ticks * MILLIS_PER_TICK;
      }
    }
    return new long[] {jit, gc};
  }

  private String ownerOf(long id, String name) {
    if (name.startsWith("vert.x") || name.startsWith("vertx")) {
      return "mock";
    }
    if (name.startsWith("bench-") || name.equals("main") || benchThreadIds.contains(id)) {
      return "bench";
    }
    return "operator";
  }

  static Usage between(Sample before, Sample after) {
    long operator = 0;
    Map<String, Long> operatorByGroup = new java.util.TreeMap<>();
    long mock = 0;
    long bench = 0;
    for (var e : after.byThread().entrySet()) {
      long d = e.getValue() - before.byThread().getOrDefault(e.getKey(), 0L);
      switch (after.owner().get(e.getKey())) {
        case "mock" -> mock += d;
        case "bench" -> bench += d;
        default -> {
          operator += d;
          if (d > 0) {
            operatorByGroup.merge(after.group().get(e.getKey()), d, Long::sum);
          }
        }
      }
    }
    long process = after.process() - before.process();
    long jit = after.jit() - before.jit();
    long gc = after.gc() - before.gc();
    long operatorAll = Math.max(0, process - mock - bench - jit - gc);
    return new Usage(
        process,
        operatorAll,
        operator,
        operatorByGroup,
        mock,
        bench,
        jit,
        gc,
        Math.max(0, operatorAll - operator),
        after.machine()[0] - before.machine()[0],
        after.machine()[1] - before.machine()[1]);
  }
}
