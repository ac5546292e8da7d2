package io.appdb.bench;

import io.appdb.operator.reconciler.ProvisioningSteps;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Diagnostic, off unless the bench runs with {@code -Dappdb.bench.trace=<dir>}: during each
 * measured burst it records every provisioning step of the operator and of the limit (time, thread,
 * step, AppDatabase), and every 100 ms the CPU used since the last sample by thread group (thread
 * names with digits replaced by {@code #}), by the JIT and GC threads and by the whole machine. At
 * the end of the burst it writes them to {@code <dir>/<side>-<phase>.tsv} with the users' sent and
 * the watch's done stamps, for offline analysis of where an AppDatabase's time goes. Times are
 * nanoseconds from the burst's start; CPU is in microseconds.
 */
final class StepTrace {
  private static final String DIR = System.getProperty("appdb.bench.trace");
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Entry(long nanos, String thread, String step, String owner) {}

  private static final ConcurrentLinkedQueue<Entry> steps = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<String> cpu = new ConcurrentLinkedQueue<>();
  private static Thread sampler;

  private StepTrace() {}

  static void step(ProvisioningSteps.Step step, String owner) {
    if (DIR != null) {
      steps.add(new Entry(System.nanoTime(), Thread.currentThread().getName(), step.name(), owner));
    }
  }

  /** Starts recording a burst that starts at {@code origin} (System.nanoTime). */
  static synchronized void start(long origin) {
    if (DIR == null) {
      return;
    }
    stopSampler();
    steps.clear();
    cpu.clear();
    sampler = new Thread(() -> sampleUntilInterrupted(origin), "bench-cpu-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Stops recording and writes the burst to {@code name}.tsv. */
  static synchronized void dump(
      String name, long origin, Fleet fleet, AtomicLongArray sent, AtomicLongArray done) {
    if (DIR == null) {
      return;
    }
    stopSampler();
    try {
      Files.createDirectories(Path.of(DIR));
      try (PrintWriter out =
          new PrintWriter(Files.newBufferedWriter(Path.of(DIR, name + ".tsv")))) {
        for (Fleet.Item item : fleet.items) {
          out.printf("%d\t-\tSENT\t%s%n", sent.get(item.index()) - origin, item.key());
          out.printf("%d\t-\tDONE\t%s%n", done.get(item.index()) - origin, item.key());
        }
        cpu.forEach(out::println);
        for (Entry e : steps) {
          out.printf("%d\t%s\t%s\t%s%n", e.nanos() - origin, e.thread(), e.step(), e.owner());
        }
      }
    } catch (IOException e) {
      System.err.println("bench: could not write trace " + name + ": " + e);
    }
    steps.clear();
    cpu.clear();
  }

  private static void stopSampler() {
    if (sampler != null) {
      sampler.interrupt();
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sampler = null;
    }
  }

  private static void sampleUntilInterrupted(long origin) {
    Map<Long, Long> threadNanos = new HashMap<>();
    long[] jvm = CpuMeter.jvmThreadsMillis();
    long machine = CpuMeter.machineMillis()[0];
    readThreads(threadNanos); // the baseline: what each thread had used before the burst
    while (true) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      Map<String, Long> groups = readThreads(threadNanos);
      long[] jvmNow = CpuMeter.jvmThreadsMillis();
      long machineNow = CpuMeter.machineMillis()[0];
      groups.put("~JIT", (jvmNow[0] - jvm[0]) * 1000);
      groups.put("~GC", (jvmNow[1] - jvm[1]) * 1000);
      groups.put("~machine", (machineNow - machine) * 1000);
      jvm = jvmNow;
      machine = machineNow;
      long t = System.nanoTime() - origin;
      groups.forEach((k, v) -> cpu.add(t + "\tCPU\t" + k + "\t" + v));
    }
  }

  /**
   * Microseconds of CPU each thread group used since the last call ({@code threadNanos} holds each
   * thread's total then); a thread seen for the first time counts in full.
   */
  private static Map<String, Long> readThreads(Map<Long, Long> threadNanos) {
    boolean baseline = threadNanos.isEmpty();
    Map<String, Long> groups = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = THREADS.getThreadCpuTime(info.getThreadId());
      if (nanos <= 0) {
        continue;
      }
      Long before = threadNanos.put(info.getThreadId(), nanos);
      long used = before == null ? (baseline ? 0 : nanos) : nanos - before;
      groups.merge(CpuMeter.group(info.getThreadName()), used / 1000, Long::sum);
    }
    return groups;
  }
}
