package io.appdb.bench;

import io.appdb.operator.OperatorHttpClientFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import okhttp3.Dispatcher;

/**
 * What fabric8's hand-offs cost an informer per watch event, measured for an experiment that was
 * not kept (README, "What was tried and not kept"). fabric8 hands each watch event to its informer,
 * and each notification to its handlers, through the client's task executor: by default a cached
 * thread pool, so every event crosses to a pool thread twice, and each crossing wakes a parked
 * thread. The experiment's executor ran a task submitted from one of the HTTP client's threads
 * right there, on the thread that read the event. It halved this cost, but in the operator it
 * deadlocked JOSDK at start-up: {@code InformerEventSource.start} holds the event source's monitor
 * while it waits for the informer's first sync, and the sync's add notifications, now run on the
 * HTTP thread that read the list, need the same monitor ({@code onAddOrUpdate}).
 *
 * <p>A second client creates Secrets in the mock API server, each one event for an informer on
 * Secrets. Only the watching client's threads are counted: its HTTP client's threads and its task
 * pool's. The two executors alternate, each round with a fresh watching client, so that the JIT and
 * the machine's drift treat them alike.
 *
 * <pre>java -cp bench/target/appdb-bench.jar io.appdb.bench.InformerHandOffBench [rounds]</pre>
 */
public final class InformerHandOffBench {
  private static final int EVENTS_PER_ROUND = 4000;
  private static final int WRITERS = 4;
  private static final int WARM_UP_ROUNDS = 2;

  private InformerHandOffBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    BenchMain.quietMockServerLog();
    MockWebServer server = new MockWebServer();
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(), server, new HashMap<>(), new IndexedCrudDispatcher(false), false);
    api.init();
    MockWebSockets.withoutCompression(server);
    Map<String, UnaryOperator<KubernetesClientBuilder>> kinds = new LinkedHashMap<>();
    kinds.put("fabric8's task executor", b -> b.withHttpClientFactory(new MarkedThreads()));
    kinds.put(
        "run on the HTTP thread",
        b ->
            b.withHttpClientFactory(new MarkedThreads())
                .withTaskExecutorSupplier(new InlineOnHttpThreads()));
    Map<String, List<Double>> perEvent = new LinkedHashMap<>();
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    int measured = 0;
    try (KubernetesClient writer = api.createClient(new OkHttpClientFactory())) {
      for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        for (Map.Entry<String, UnaryOperator<KubernetesClientBuilder>> kind : kinds.entrySet()) {
          String ns = "round-" + ++measured; // a fresh namespace, so the informer lists nothing
          double us = measure(api, kind.getValue(), writer, writers, ns);
          if (round >= WARM_UP_ROUNDS) {
            perEvent.computeIfAbsent(kind.getKey(), k -> new ArrayList<>()).add(us);
            System.out.printf(
                "round %d, %s: %.1f us of CPU per event%n",
                round - WARM_UP_ROUNDS + 1, kind.getKey(), us);
          }
        }
      }
    } finally {
      writers.shutdownNow();
      api.destroy();
    }
    for (Map.Entry<String, List<Double>> e : perEvent.entrySet()) {
      double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(
          "%s: median %.1f us per event (min %.1f, max %.1f, %d rounds of %d events)%n",
          e.getKey(), v[v.length / 2], v[0], v[v.length - 1], v.length, EVENTS_PER_ROUND);
    }
    System.exit(0);
  }

  private static double measure(
      KubernetesMockServer api,
      UnaryOperator<KubernetesClientBuilder> kind,
      KubernetesClient writer,
      ExecutorService writers,
      String ns)
      throws Exception {
    AtomicInteger seen = new AtomicInteger();
    try (KubernetesClient watching = api.createClient(b -> kind.apply(b))) {
      SharedIndexInformer<Secret> informer =
          watching
              .secrets()
              .inNamespace(ns)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Secret s) {
                      seen.incrementAndGet();
                    }

                    @Override
                    public void onUpdate(Secret before, Secret after) {}

                    @Override
                    public void onDelete(Secret s, boolean unknown) {}
                  },
                  0);
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long before = watchingSideCpu(mx);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int first = w;
        done.add(
            writers.submit(
                () -> {
                  for (int i = first; i < EVENTS_PER_ROUND; i += WRITERS) {
                    writer.secrets().resource(secret(ns, "s" + i)).create();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      while (seen.get() < EVENTS_PER_ROUND) {
        Thread.sleep(1);
      }
      long after = watchingSideCpu(mx);
      informer.close();
      return (after - before) / 1e3 / EVENTS_PER_ROUND;
    }
  }

  private static Secret secret(String ns, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .addToData("k", "dmFsdWU=")
        .build();
  }

  /**
   * CPU of the watching client's threads: its HTTP client's ({@link MarkedThreads} makes them, for
   * both executors; the writer's are OkHttp's own) and its task pool's (named "...-pool-#-thread-#"
   * by fabric8's thread factory; the writer's pool stays idle: it has no informer).
   */
  private static long watchingSideCpu(ThreadMXBean mx) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t instanceof HttpThread || t.getName().matches(".*-pool-\\d+-thread-\\d+")) {
        long cpu = mx.getThreadCpuTime(t.getId());
        sum += Math.max(0, cpu);
      }
    }
    return sum;
  }

  /** The operator's HTTP client factory, with dispatcher threads that can be told apart. */
  private static final class MarkedThreads extends OperatorHttpClientFactory {
    @Override
    protected Dispatcher initDispatcher() {
      Dispatcher dispatcher = new Dispatcher(Executors.newCachedThreadPool(HttpThread::new));
      dispatcher.setMaxRequests(Integer.MAX_VALUE);
      dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
      return dispatcher;
    }
  }

  private static final class HttpThread extends Thread {
    HttpThread(Runnable task) {
      super(task, "OkHttp Dispatcher");
      setDaemon(true);
    }
  }

  /**
   * The experiment's task executor: a task submitted from one of the HTTP client's threads runs
   * there; any other goes to a cached pool, as with fabric8's default.
   */
  private static final class InlineOnHttpThreads
      implements KubernetesClientBuilder.ExecutorSupplier {
    private final ExecutorService pool =
        Executors.newCachedThreadPool(Utils.daemonThreadFactory(this));

    @Override
    public Executor get() {
      return task -> {
        if (Thread.currentThread() instanceof HttpThread) {
          task.run();
        } else {
          pool.execute(task);
        }
      };
    }

    @Override
    public void onClose(Executor executor) {
      pool.shutdownNow();
    }
  }
}
