package io.appdb.operator.engine;

class PostgresEngine15IT extends DatabaseEngineContract {
  PostgresEngine15IT() {
    super(new PostgresFixture(15));
  }
}
