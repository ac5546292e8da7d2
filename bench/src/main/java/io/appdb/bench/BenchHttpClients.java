package io.appdb.bench;

import io.appdb.operator.OperatorHttpClientFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;

/**
 * The operator's HTTP client factory (so the users' connections are kept as the operator's are),
 * with a dispatcher whose threads are claimed as the bench's as they are made, so that the CPU of
 * the bench's requests and watch is not billed to the operator or the limit. The limits are
 * fabric8's own (none: watches hold their requests open).
 */
final class BenchHttpClients extends OperatorHttpClientFactory {
  private final CpuMeter cpu;
  private final AtomicInteger threads = new AtomicInteger();

  BenchHttpClients(CpuMeter cpu) {
    this.cpu = cpu;
  }

  @Override
  protected Dispatcher initDispatcher() {
    Dispatcher dispatcher =
        new Dispatcher(
            Executors.newCachedThreadPool(
                r -> {
                  Thread t = new Thread(r, "bench-http-" + threads.incrementAndGet());
                  t.setDaemon(true);
                  cpu.claim(t);
                  return t;
                }));
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    return dispatcher;
  }
}
