package io.appdb.operator.engine;

class MariaDbEngineIT extends DatabaseEngineContract {
  MariaDbEngineIT() {
    super(new MariaDbFixture());
  }
}
