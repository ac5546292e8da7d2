package io.appdb.operator.it;

import io.appdb.operator.testing.MariaDbServer;

/** spec.accounts end to end on MariaDB, standing in for the mysql engine. */
class MariaDbAccountsIT extends AccountsContract {
  @Override
  protected DbFixture fixture() {
    return new MariaDbOperatorIT.Maria(MariaDbServer.shared());
  }
}
