package io.appdb.operator.it;

import io.appdb.operator.testing.MariaDbServer;

class MariaDbCrashSafetyIT extends CrashSafetyContract {
  @Override
  protected DbFixture fixture() {
    return new MariaDbOperatorIT.Maria(MariaDbServer.shared());
  }
}
