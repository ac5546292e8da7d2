package io.appdb.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that turns an {@link Outcome} into the kstatus conditions Ready, Reconciling and
 * Stalled, always all three and in that order:
 *
 * <pre>
 *   READY        Ready=True   Reconciling=False  Stalled=False
 *   RECONCILING  Ready=False  Reconciling=True   Stalled=False
 *   STALLED      Ready=False  Reconciling=False  Stalled=True
 * </pre>
 *
 * All three carry the outcome's reason and message, so {@code kubectl get -o yaml} tells the same
 * story whichever condition a tool reads. {@code lastTransitionTime} is kept from the current
 * condition unless its status flips; equal inputs give equal lists, so a caller can compare the
 * result with the current status and skip a write that would change nothing.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final List<String> TYPES = List.of(READY, RECONCILING, STALLED);

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  /** metav1.Condition's limit on message length. */
  static final int MAX_MESSAGE_LENGTH = 32768;

  private Conditions() {}

  public static List<Condition> apply(
      List<Condition> current, Outcome outcome, long generation, Instant now) {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(now, "now");
    List<Condition> existing = current == null ? List.of() : current;
    String message = truncate(outcome.message());
    List<Condition> result = new ArrayList<>(TYPES.size());
    for (String type : TYPES) {
      String status = isTrueFor(type, outcome.state()) ? TRUE : FALSE;
      String since =
          find(existing, type)
              .filter(c -> status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
              .map(Condition::getLastTransitionTime)
              .orElseGet(() -> format(now));
      result.add(
          new ConditionBuilder()
              .withType(type)
              .withStatus(status)
              .withReason(outcome.reason())
              .withMessage(message)
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  private static boolean isTrueFor(String type, Outcome.State state) {
    return switch (state) {
      case READY -> READY.equals(type);
      case RECONCILING -> RECONCILING.equals(type);
      case STALLED -> STALLED.equals(type);
    };
  }

  private static String format(Instant now) {
    return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
  }

  private static String truncate(String message) {
    if (message.length() <= MAX_MESSAGE_LENGTH) {
      return message;
    }
    int cut = MAX_MESSAGE_LENGTH - 3;
    // Half a surrogate pair is not valid UTF-8 and the API server would refuse the status.
    if (Character.isHighSurrogate(message.charAt(cut - 1))) {
      cut--;
    }
    return message.substring(0, cut) + "...";
  }
}
