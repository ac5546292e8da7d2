package io.appdb.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlaygroundOptionsTest {

  @Test
  void defaultsStayUpOnTheFixedPort() {
    PlaygroundOptions o = PlaygroundOptions.parse();
    assertThat(o.once()).isFalse();
    assertThat(o.port()).isEqualTo(48080);
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(o.examples()).isNull();
  }

  @Test
  void readsEveryOption() {
    PlaygroundOptions o = PlaygroundOptions.parse("--once", "--port", "40001", "--timeout", "30");
    assertThat(o.once()).isTrue();
    assertThat(o.port()).isEqualTo(40001);
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesWhatItCannotUse() {
    assertThatThrownBy(() -> PlaygroundOptions.parse("--port"))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> PlaygroundOptions.parse("--port", "x")).hasMessageContaining("number");
    assertThatThrownBy(() -> PlaygroundOptions.parse("--port", "70000"))
        .hasMessageContaining("65535");
    assertThatThrownBy(() -> PlaygroundOptions.parse("--timeout", "0"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> PlaygroundOptions.parse("--examples", "/no/such/dir"))
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> PlaygroundOptions.parse("--bogus"))
        .hasMessageContaining("unknown option");
  }
}
