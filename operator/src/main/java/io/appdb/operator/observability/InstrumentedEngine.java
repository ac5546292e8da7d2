package io.appdb.operator.observability;

import io.appdb.operator.engine.DatabaseEngine;
import io.appdb.operator.engine.EngineException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;

/**
 * Times every SQL-issuing call of a {@link DatabaseEngine} into {@link OperatorMetrics}, tagged
 * with the server and the operation (the method name). A dynamic proxy keeps the engines free of
 * metrics code and covers methods added later without touching this class; the few calls that issue
 * no SQL (the pool's sizes, the client-side {@code credential}, the session wrapper) are listed in
 * {@link #UNTIMED}.
 */
public final class InstrumentedEngine implements InvocationHandler {
  private static final Set<String> UNTIMED =
      Set.of(
          "type",
          "openAdminConnections",
          "provisioningConnections",
          "credential",
          "close",
          "session");

  private final DatabaseEngine delegate;
  private final String server;
  private final OperatorMetrics metrics;

  private InstrumentedEngine(DatabaseEngine delegate, String server, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.server = server;
    this.metrics = metrics;
  }

  public static DatabaseEngine wrap(DatabaseEngine engine, String server, OperatorMetrics metrics) {
    metrics.registerAdminConnections(server, engine::openAdminConnections);
    return (DatabaseEngine)
        Proxy.newProxyInstance(
            DatabaseEngine.class.getClassLoader(),
            new Class<?>[] {DatabaseEngine.class},
            new InstrumentedEngine(engine, server, metrics));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(delegate, args);
    }
    if ("close".equals(method.getName())) {
      metrics.unregister(server);
    }
    if (UNTIMED.contains(method.getName())) {
      return invokeDelegate(method, args);
    }
    long start = System.nanoTime();
    boolean error = false;
    try {
      return invokeDelegate(method, args);
    } catch (EngineException e) {
      // A rejected app login is an answer, not a server error.
      error = e.kind() != EngineException.Kind.LOGIN_FAILED;
      throw e;
    } catch (RuntimeException e) {
      error = true;
      throw e;
    } finally {
      metrics.recordSql(
          server, method.getName(), Duration.ofNanos(System.nanoTime() - start), error);
    }
  }

  private Object invokeDelegate(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
