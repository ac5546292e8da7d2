package io.appdb.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.status.Outcome.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutcomeTest {

  @Test
  void factoriesSetTheState() {
    assertThat(Outcome.ready(Reasons.PROVISIONED, "ok"))
        .isEqualTo(new Outcome(State.READY, "Provisioned", "ok"));
    assertThat(Outcome.reconciling(Reasons.PROGRESSING, "m").state()).isEqualTo(State.RECONCILING);
    assertThat(Outcome.stalled(Reasons.INVALID_SPEC, "m").state()).isEqualTo(State.STALLED);
  }

  @Test
  void nullMessageBecomesEmpty() {
    assertThat(Outcome.ready(Reasons.PROVISIONED, null).message()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "lowerCase1", "With Space", "Trailing,", "1Digit", "Dash-ed", "Ünï"})
  void reasonsMustBeConditionReasons(String reason) {
    if (reason.equals("lowerCase1")) {
      // metav1 allows a lower-case start; only the character set and ends are fixed.
      assertThat(Outcome.ready(reason, "m").reason()).isEqualTo(reason);
      return;
    }
    assertThatThrownBy(() -> Outcome.ready(reason, "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a condition reason");
  }

  @Test
  void nullStateOrReasonIsRefused() {
    assertThatThrownBy(() -> new Outcome(null, "X", "m")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Outcome.ready(null, "m")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Outcome.ready("A".repeat(1025), "m"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
