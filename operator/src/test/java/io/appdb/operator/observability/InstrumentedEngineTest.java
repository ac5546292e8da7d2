package io.appdb.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.appdb.operator.engine.Credential;
import io.appdb.operator.engine.DatabaseEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstrumentedEngineTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** An engine that answers without a server: what each call returns does not matter here. */
  private static DatabaseEngine fake() {
    return (DatabaseEngine)
        Proxy.newProxyInstance(
            DatabaseEngine.class.getClassLoader(),
            new Class<?>[] {DatabaseEngine.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "provisioningConnections", "openAdminConnections" -> 1;
                  case "credential" -> new Credential("p", "v");
                  case "claimOwner" -> Optional.empty();
                  default -> null;
                });
  }

  @Test
  void onlyCallsThatIssueSqlAreTimedAsStatements() {
    DatabaseEngine engine = InstrumentedEngine.wrap(fake(), "pg", new OperatorMetrics(registry));

    engine.claimOwner(io.appdb.operator.engine.ClaimKind.USER, "u");
    engine.credential("p");
    engine.provisioningConnections();
    engine.openAdminConnections();

    assertThat(registry.find(OperatorMetrics.SQL_TIMER).timers())
        .extracting(t -> t.getId().getTag("operation"))
        .containsExactly("claimOwner");
  }
}
