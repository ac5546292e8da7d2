package io.appdb.operator.it;

import io.appdb.operator.testing.PostgresServer;

/** spec.accounts end to end on PostgreSQL 17. */
class PostgresAccountsIT extends AccountsContract {
  @Override
  protected DbFixture fixture() {
    return new PostgresOperatorIT.Pg(PostgresServer.shared(17));
  }
}
