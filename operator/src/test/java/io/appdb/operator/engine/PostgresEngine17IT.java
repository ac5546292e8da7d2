package io.appdb.operator.engine;

class PostgresEngine17IT extends DatabaseEngineContract {
  PostgresEngine17IT() {
    super(new PostgresFixture(17));
  }
}
