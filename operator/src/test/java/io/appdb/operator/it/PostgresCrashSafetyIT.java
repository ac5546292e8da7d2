package io.appdb.operator.it;

import io.appdb.operator.testing.PostgresServer;

class PostgresCrashSafetyIT extends CrashSafetyContract {
  @Override
  protected DbFixture fixture() {
    return new PostgresOperatorIT.Pg(PostgresServer.shared(17));
  }
}
