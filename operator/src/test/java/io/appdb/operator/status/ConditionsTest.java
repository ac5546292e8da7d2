package io.appdb.operator.status;

import static io.appdb.operator.status.Conditions.READY;
import static io.appdb.operator.status.Conditions.RECONCILING;
import static io.appdb.operator.status.Conditions.STALLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appdb.operator.status.Outcome.State;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00.123456Z");
  private static final Instant T1 = Instant.parse("2024-05-01T10:05:00Z");
  private static final String T0_TEXT = "2024-05-01T10:00:00Z";
  private static final String T1_TEXT = "2024-05-01T10:05:00Z";

  /** state -> expected statuses of Ready, Reconciling, Stalled. */
  static Stream<Arguments> statusTable() {
    return Stream.of(
        Arguments.of(State.READY, "True", "False", "False"),
        Arguments.of(State.RECONCILING, "False", "True", "False"),
        Arguments.of(State.STALLED, "False", "False", "True"));
  }

  @ParameterizedTest
  @MethodSource("statusTable")
  void eachStateSetsTheKstatusTriple(
      State state, String ready, String reconciling, String stalled) {
    List<Condition> result =
        Conditions.apply(List.of(), new Outcome(state, "SomeReason", "msg"), 3, T0);
    assertThat(result).extracting(Condition::getType).containsExactly(READY, RECONCILING, STALLED);
    assertThat(result)
        .extracting(Condition::getStatus)
        .containsExactly(ready, reconciling, stalled);
    assertThat(result)
        .allSatisfy(
            c -> {
              assertThat(c.getReason()).isEqualTo("SomeReason");
              assertThat(c.getMessage()).isEqualTo("msg");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo(T0_TEXT);
            });
  }

  /** Every from -> to transition: which conditions flip and therefore get a new time. */
  static Stream<Arguments> transitions() {
    List<Arguments> rows = new ArrayList<>();
    for (State from : State.values()) {
      for (State to : State.values()) {
        rows.add(Arguments.of(from, to));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("transitions")
  void lastTransitionTimeChangesOnlyForConditionsThatFlip(State from, State to) {
    List<Condition> before = Conditions.apply(null, new Outcome(from, "Before", "m1"), 1, T0);
    List<Condition> after = Conditions.apply(before, new Outcome(to, "After", "m2"), 2, T1);
    for (int i = 0; i < 3; i++) {
      Condition b = before.get(i);
      Condition a = after.get(i);
      boolean flipped = !a.getStatus().equals(b.getStatus());
      assertThat(a.getLastTransitionTime())
          .as("%s %s -> %s", a.getType(), from, to)
          .isEqualTo(flipped ? T1_TEXT : T0_TEXT);
      assertThat(a.getReason()).isEqualTo("After");
      assertThat(a.getMessage()).isEqualTo("m2");
      assertThat(a.getObservedGeneration()).isEqualTo(2L);
    }
    long flips =
        Stream.of(0, 1, 2)
            .filter(i -> !after.get(i).getStatus().equals(before.get(i).getStatus()))
            .count();
    assertThat(flips).isEqualTo(from == to ? 0 : 2);
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void nothingFlippedGivesAnEqualList(State state) {
    Outcome outcome = new Outcome(state, "Same", "same message");
    List<Condition> first = Conditions.apply(List.of(), outcome, 5, T0);
    List<Condition> second = Conditions.apply(first, outcome, 5, T1);
    assertThat(second).isEqualTo(first);
    assertThat(second.hashCode()).isEqualTo(first.hashCode());
  }

  @Test
  void reasonOnlyChangeKeepsTheTime() {
    List<Condition> first =
        Conditions.apply(List.of(), Outcome.reconciling(Reasons.PROGRESSING, "creating"), 1, T0);
    List<Condition> second =
        Conditions.apply(first, Outcome.reconciling(Reasons.SERVER_UNAVAILABLE, "down"), 1, T1);
    assertThat(second).extracting(Condition::getLastTransitionTime).containsOnly(T0_TEXT);
    assertThat(second).extracting(Condition::getReason).containsOnly("ServerUnavailable");
    assertThat(second).extracting(Condition::getMessage).containsOnly("down");
  }

  @Test
  void generationBumpUpdatesObservedGenerationOnly() {
    Outcome ready = Outcome.ready(Reasons.PROVISIONED, "ok");
    List<Condition> first = Conditions.apply(List.of(), ready, 1, T0);
    List<Condition> second = Conditions.apply(first, ready, 2, T1);
    assertThat(second).isNotEqualTo(first);
    for (int i = 0; i < 3; i++) {
      Condition expected = new ConditionBuilder(first.get(i)).withObservedGeneration(2L).build();
      assertThat(second.get(i)).isEqualTo(expected);
    }
  }

  @Test
  void timeIsKeptFromConditionsInAnyOrderAndUnknownTypesAreDropped() {
    List<Condition> current =
        List.of(
            condition("Custom", "True", "2020-01-01T00:00:00Z"),
            condition(STALLED, "False", "2021-01-01T00:00:00Z"),
            condition(READY, "True", "2022-01-01T00:00:00Z"));
    List<Condition> result =
        Conditions.apply(current, Outcome.ready(Reasons.PROVISIONED, "ok"), 1, T1);
    assertThat(result).extracting(Condition::getType).containsExactly(READY, RECONCILING, STALLED);
    assertThat(result)
        .extracting(Condition::getLastTransitionTime)
        .containsExactly("2022-01-01T00:00:00Z", T1_TEXT, "2021-01-01T00:00:00Z");
  }

  @Test
  void unknownStatusOrMissingTimeCountsAsAFlip() {
    List<Condition> current =
        List.of(
            condition(READY, "Unknown", "2022-01-01T00:00:00Z"), condition(STALLED, "False", null));
    List<Condition> result =
        Conditions.apply(current, Outcome.reconciling(Reasons.PROGRESSING, ""), 1, T1);
    assertThat(result.get(0).getLastTransitionTime()).isEqualTo(T1_TEXT);
    assertThat(result.get(2).getLastTransitionTime()).isEqualTo(T1_TEXT);
  }

  @Test
  void timesAreRfc3339SecondsInUtc() {
    List<Condition> result =
        Conditions.apply(
            null,
            Outcome.ready(Reasons.PROVISIONED, "ok"),
            1,
            Instant.parse("2030-12-31T23:59:59.999999999Z"));
    assertThat(result.get(0).getLastTransitionTime()).isEqualTo("2030-12-31T23:59:59Z");
  }

  @Test
  void resultIsMutableForCallersThatSetItOnTheStatus() {
    List<Condition> result =
        Conditions.apply(null, Outcome.ready(Reasons.PROVISIONED, "ok"), 1, T0);
    result.add(condition("Extra", "True", T0_TEXT));
    assertThat(result).hasSize(4);
  }

  @Test
  void longMessagesAreCutToTheApiLimit() {
    String huge = "x".repeat(Conditions.MAX_MESSAGE_LENGTH + 100);
    List<Condition> result =
        Conditions.apply(null, Outcome.stalled(Reasons.INVALID_SPEC, huge), 1, T0);
    assertThat(result.get(0).getMessage()).hasSize(Conditions.MAX_MESSAGE_LENGTH).endsWith("...");
    String exact = "y".repeat(Conditions.MAX_MESSAGE_LENGTH);
    assertThat(
            Conditions.apply(null, Outcome.stalled(Reasons.INVALID_SPEC, exact), 1, T0)
                .get(0)
                .getMessage())
        .isEqualTo(exact);
  }

  @Test
  void cuttingAMessageNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00";
    String huge = "x".repeat(Conditions.MAX_MESSAGE_LENGTH - 4) + emoji.repeat(10);
    String message =
        Conditions.apply(null, Outcome.stalled(Reasons.INVALID_SPEC, huge), 1, T0)
            .get(0)
            .getMessage();
    assertThat(message).endsWith("...");
    String body = message.substring(0, message.length() - 3);
    assertThat(Character.isHighSurrogate(body.charAt(body.length() - 1))).isFalse();
  }

  @Test
  void applyRejectsNulls() {
    assertThatThrownBy(() -> Conditions.apply(List.of(), null, 1, T0))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () -> Conditions.apply(List.of(), Outcome.ready(Reasons.PROVISIONED, ""), 1, null))
        .isInstanceOf(NullPointerException.class);
  }

  // ---- find / isTrue ----

  @Test
  void findReturnsTheConditionOfThatType() {
    List<Condition> list =
        Conditions.apply(null, Outcome.stalled(Reasons.SECRET_CONFLICT, "m"), 1, T0);
    assertThat(Conditions.find(list, STALLED))
        .get()
        .extracting(Condition::getStatus)
        .isEqualTo("True");
    assertThat(Conditions.find(list, "Nope")).isEmpty();
    assertThat(Conditions.find(null, READY)).isEmpty();
    assertThat(Conditions.find(List.of(), READY)).isEmpty();
  }

  @Test
  void isTrueOnlyForStatusTrue() {
    List<Condition> list = Conditions.apply(null, Outcome.ready(Reasons.PROVISIONED, "m"), 1, T0);
    assertThat(Conditions.isTrue(list, READY)).isTrue();
    assertThat(Conditions.isTrue(list, STALLED)).isFalse();
    assertThat(Conditions.isTrue(list, "Missing")).isFalse();
    assertThat(Conditions.isTrue(null, READY)).isFalse();
    assertThat(Conditions.isTrue(List.of(condition(READY, "true", T0_TEXT)), READY)).isFalse();
  }

  private static Condition condition(String type, String status, String time) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason("Old")
        .withMessage("old")
        .withObservedGeneration(1L)
        .withLastTransitionTime(time)
        .build();
  }
}
