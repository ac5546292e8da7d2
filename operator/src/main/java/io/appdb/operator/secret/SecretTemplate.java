package io.appdb.operator.secret;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code spec.secret.template} language: literal text with the placeholders {@code {{ .Username
 * }}}, {@code {{ .Password }}}, {@code {{ .Host }}}, {@code {{ .Port }}}, {@code {{ .Database }}}
 * and {@code {{ .Engine }}}, spaces inside the braces optional. It looks like Go templates so that
 * it reads familiar, but it is not one: every {@code {{} must open one of these placeholders, so
 * pipelines, functions, trim markers and nested or unterminated braces are errors, not silently
 * passed through. A lone {@code }}} is literal text (JSON needs it).
 *
 * <p>Values are inserted verbatim (no URL encoding); the host is as configured, IPv6 without
 * brackets.
 */
public final class SecretTemplate {

  /** One placeholder; group 1 is the field name. The validator uses the same grammar. */
  public static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\{\\{[ \\t\\r\\n]*\\.(Username|Password|Host|Port|Database|Engine)[ \\t\\r\\n]*}}");

  private static final String OPEN = "{{";
  private static final int SHOWN_CHARACTERS = 40;

  private SecretTemplate() {}

  /** Why {@code template} is not valid, or empty if it is. Never shows more than the bad part. */
  public static Optional<String> problem(String template) {
    if (template == null) {
      return Optional.of("must be a string");
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    int at = template.indexOf(OPEN);
    while (at >= 0) {
      if (!matcher.region(at, template.length()).lookingAt()) {
        return Optional.of(
            "has an invalid placeholder at character "
                + at
                + ": "
                + excerpt(template, at)
                + "; allowed are {{ .Username }}, {{ .Password }}, {{ .Host }}, {{ .Port }},"
                + " {{ .Database }} and {{ .Engine }}");
      }
      at = template.indexOf(OPEN, matcher.end());
    }
    return Optional.empty();
  }

  /**
   * Fills in the placeholders.
   *
   * @throws IllegalArgumentException if the template is invalid (see {@link #problem}); the message
   *     never contains a value from {@code details}
   */
  public static String render(String template, ConnectionDetails details) {
    Objects.requireNonNull(details, "details");
    problem(template)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("template " + p);
            });
    return PLACEHOLDER
        .matcher(template)
        .replaceAll(m -> Matcher.quoteReplacement(value(m.group(1), details)));
  }

  private static String value(String field, ConnectionDetails d) {
    return switch (field) {
      case "Username" -> d.username();
      case "Password" -> d.password();
      case "Host" -> d.host();
      case "Port" -> Integer.toString(d.port());
      case "Database" -> d.database();
      case "Engine" -> d.engine().value();
      default -> throw new IllegalStateException("PLACEHOLDER admits no field " + field);
    };
  }

  private static String excerpt(String template, int from) {
    int close = template.indexOf("}}", from + OPEN.length());
    int end = close < 0 ? template.length() : close + 2;
    String shown = template.substring(from, Math.min(end, from + SHOWN_CHARACTERS));
    String printable = shown.replaceAll("[\\p{Cntrl}]", "?");
    return "'"
        + printable
        + (end > from + SHOWN_CHARACTERS ? "...'" : "'")
        + (close < 0 ? " (no closing }})" : "");
  }
}
