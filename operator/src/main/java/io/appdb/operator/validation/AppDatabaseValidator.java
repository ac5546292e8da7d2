package io.appdb.operator.validation;

import io.appdb.operator.api.v1alpha1.AccountAccess;
import io.appdb.operator.api.v1alpha1.AccountSpec;
import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.AppDatabaseSpec;
import io.appdb.operator.api.v1alpha1.Engine;
import io.appdb.operator.api.v1alpha1.SecretSpec;
import io.appdb.operator.naming.NameRules;
import io.appdb.operator.secret.ConnectionSecretRenderer;
import io.appdb.operator.secret.SecretTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything in an AppDatabase spec that an application team can get wrong, checked before any SQL
 * runs. The CRD schema already rejects most of it, but not everywhere (the test mock, an API server
 * with validation off, a CRD older than the operator), and it cannot check engine-dependent lengths
 * or the template grammar, so the operator checks again.
 *
 * <p>Each problem names the field and what to change. Problems come in a fixed order (fields in
 * spec order, map keys sorted) so that an unchanged spec gives an unchanged status message. Values
 * are shown quoted and cut short; template values are never shown, only the bad placeholder.
 */
public final class AppDatabaseValidator {

  public static final int MIN_CONNECTION_LIMIT = 1;
  public static final int MAX_CONNECTION_LIMIT = 10000;

  /** Labels the operator sets itself on the Secret. */
  public static final Set<String> RESERVED_LABELS =
      Set.of(ConnectionSecretRenderer.MANAGED_BY_LABEL, ConnectionSecretRenderer.APPDATABASE_LABEL);

  static final int MAX_SECRET_KEY_LENGTH = 253;
  static final int MAX_LABEL_VALUE_LENGTH = 63;
  static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
  private static final int SHOWN_CHARACTERS = 63;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final int MAX_DNS_SUBDOMAIN = 253;
  private static final Pattern SECRET_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
  private static final Pattern QUALIFIED_NAME_PART =
      Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final int MAX_QUALIFIED_NAME_PART = 63;
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

  private AppDatabaseValidator() {}

  /** The spec's problems on a server of {@code engine}; empty if the spec is valid. */
  public static List<String> problems(AppDatabase adb, Engine engine) {
    Objects.requireNonNull(adb, "adb");
    Objects.requireNonNull(engine, "engine");
    AppDatabaseSpec spec = adb.getSpec();
    if (spec == null) {
      return List.of("spec is missing");
    }
    List<String> problems = new ArrayList<>();
    if (spec.getServerRef() != null) {
      dnsSubdomain("spec.serverRef.name", spec.getServerRef().getName(), problems);
    }
    if (spec.getDatabaseName() != null) {
      NameRules.databaseNameProblem(engine, spec.getDatabaseName())
          .ifPresent(p -> problems.add(field("spec.databaseName", spec.getDatabaseName(), p)));
    }
    if (spec.getUsername() != null) {
      NameRules.usernameProblem(engine, spec.getUsername())
          .ifPresent(p -> problems.add(field("spec.username", spec.getUsername(), p)));
    }
    Integer limit = spec.getConnectionLimit();
    if (limit != null && (limit < MIN_CONNECTION_LIMIT || limit > MAX_CONNECTION_LIMIT)) {
      problems.add(
          "spec.connectionLimit is "
              + limit
              + "; it must be between "
              + MIN_CONNECTION_LIMIT
              + " and "
              + MAX_CONNECTION_LIMIT
              + ", or left out for no limit");
    }
    SecretSpec secret = spec.getSecret() == null ? new SecretSpec() : spec.getSecret();
    if (spec.getAccounts() != null) {
      accounts(adb, spec, secret, problems);
    } else {
      secretName(adb, secret, problems);
    }
    templates(secret.getTemplate(), problems);
    labels(secret.getLabels(), problems);
    annotations(secret.getAnnotations(), problems);
    return problems;
  }

  /** The default Secret name of an account: {@code <metadata.name>-db-<account>}. */
  public static String defaultAccountSecretName(String appDatabaseName, String account) {
    return appDatabaseName + ConnectionSecretRenderer.DEFAULT_SECRET_SUFFIX + "-" + account;
  }

  public static final int MAX_ACCOUNTS = 16;

  private static void accounts(
      AppDatabase adb, AppDatabaseSpec spec, SecretSpec secret, List<String> problems) {
    List<AccountSpec> accounts = spec.getAccounts();
    if (accounts.isEmpty() || accounts.size() > MAX_ACCOUNTS) {
      problems.add(
          "spec.accounts lists "
              + accounts.size()
              + " accounts; list 1 to "
              + MAX_ACCOUNTS
              + " (exactly one Owner), or leave it out for the single owner user");
      return;
    }
    if (spec.getConnectionLimit() != null) {
      problems.add(
          "spec.connectionLimit cannot be used with spec.accounts; set accounts[].connectionLimit"
              + " instead");
    }
    if (secret.getName() != null) {
      problems.add(
          "spec.secret.name cannot be used with spec.accounts; set accounts[].secretName instead");
    }
    String adbName = adb.getMetadata() == null ? null : adb.getMetadata().getName();
    Set<String> names = new HashSet<>();
    Set<String> secretNames = new HashSet<>();
    long owners = 0;
    for (int i = 0; i < accounts.size(); i++) {
      AccountSpec account = accounts.get(i);
      String field = "spec.accounts[" + i + "]";
      if (account == null) {
        problems.add(field + " must not be empty");
        continue;
      }
      Optional<String> nameProblem = NameRules.accountNameProblem(account.getName());
      nameProblem.ifPresent(
          p -> problems.add(field(field + ".name", String.valueOf(account.getName()), p)));
      if (nameProblem.isEmpty() && !names.add(account.getName())) {
        problems.add(
            field(field + ".name", account.getName(), "is listed twice; account names are unique"));
      }
      if (account.getAccess() == null) {
        problems.add(field + ".access must be one of Owner, ReadWrite, ReadOnly");
      } else if (account.getAccess() == AccountAccess.Owner) {
        owners++;
      }
      Integer limit = account.getConnectionLimit();
      if (limit != null && (limit < MIN_CONNECTION_LIMIT || limit > MAX_CONNECTION_LIMIT)) {
        problems.add(
            field
                + ".connectionLimit is "
                + limit
                + "; it must be between "
                + MIN_CONNECTION_LIMIT
                + " and "
                + MAX_CONNECTION_LIMIT
                + ", or left out for no limit");
      }
      String secretName = account.getSecretName();
      if (secretName != null) {
        dnsSubdomain(field + ".secretName", secretName, problems);
      } else if (adbName != null && nameProblem.isEmpty()) {
        secretName = defaultAccountSecretName(adbName, account.getName());
        if (secretName.length() > MAX_DNS_SUBDOMAIN) {
          problems.add(
              field
                  + ".secretName is needed: the default '<metadata.name>-db-<name>' would be longer"
                  + " than "
                  + MAX_DNS_SUBDOMAIN
                  + " characters");
        }
      }
      if (secretName != null && !secretNames.add(secretName)) {
        problems.add(
            field(
                field + ".secretName",
                secretName,
                "is the Secret of another account too; every account needs its own Secret"));
      }
    }
    if (owners != 1) {
      problems.add(
          "spec.accounts has "
              + owners
              + " accounts with access Owner; exactly one account must be the Owner");
    }
  }

  private static void secretName(AppDatabase adb, SecretSpec secret, List<String> problems) {
    if (secret.getName() != null) {
      dnsSubdomain("spec.secret.name", secret.getName(), problems);
      return;
    }
    String name = adb.getMetadata() == null ? null : adb.getMetadata().getName();
    if (name != null
        && name.length() + ConnectionSecretRenderer.DEFAULT_SECRET_SUFFIX.length()
            > MAX_DNS_SUBDOMAIN) {
      problems.add(
          "spec.secret.name is needed: the default '<metadata.name>"
              + ConnectionSecretRenderer.DEFAULT_SECRET_SUFFIX
              + "' would be longer than "
              + MAX_DNS_SUBDOMAIN
              + " characters");
    }
  }

  private static void dnsSubdomain(String field, String value, List<String> problems) {
    if (value == null || value.isEmpty()) {
      problems.add(field + " must not be empty");
    } else if (value.length() > MAX_DNS_SUBDOMAIN) {
      problems.add(
          field(
              field, value, "is " + value.length() + " characters long; at most 253 are allowed"));
    } else if (!DNS_SUBDOMAIN.matcher(value).matches()) {
      problems.add(
          field(
              field,
              value,
              "must be a DNS subdomain: lower-case letters, digits, '-' and '.', starting and"
                  + " ending with a letter or digit"));
    }
  }

  private static void templates(Map<String, String> template, List<String> problems) {
    Set<String> taken = new HashSet<>(ConnectionSecretRenderer.STANDARD_KEYS);
    taken.addAll(ConnectionSecretRenderer.SERVICE_BINDING_KEYS);
    sorted(template)
        .forEach(
            (key, value) -> {
              String field = "spec.secret.template[" + show(key) + "]";
              secretKeyProblem(key).ifPresent(p -> problems.add(field + ": the key " + p));
              if (taken.contains(key)) {
                problems.add(
                    field
                        + ": the key is one the operator writes itself; choose another key"
                        + " (taken: "
                        + String.join(", ", ConnectionSecretRenderer.STANDARD_KEYS)
                        + ", "
                        + String.join(", ", ConnectionSecretRenderer.SERVICE_BINDING_KEYS)
                        + ")");
              }
              SecretTemplate.problem(value)
                  .ifPresent(p -> problems.add(field + ": the value " + p));
            });
  }

  private static Optional<String> secretKeyProblem(String key) {
    if (key.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (key.length() > MAX_SECRET_KEY_LENGTH) {
      return Optional.of("is " + key.length() + " characters long; at most 253 are allowed");
    }
    if (!SECRET_KEY.matcher(key).matches()) {
      return Optional.of(
          "may only contain letters, digits, '-', '_' and '.' (it becomes an environment variable"
              + " or file name)");
    }
    if (key.equals(".") || key.startsWith("..")) {
      return Optional.of("must not be '.' or start with '..'");
    }
    return Optional.empty();
  }

  private static void labels(Map<String, String> labels, List<String> problems) {
    sorted(labels)
        .forEach(
            (key, value) -> {
              String field = "spec.secret.labels[" + show(key) + "]";
              keyProblems(field, key, problems);
              if (RESERVED_LABELS.contains(key)) {
                problems.add(field + ": the operator sets this label itself; remove it");
              }
              String v = value == null ? "" : value;
              if (v.length() > MAX_LABEL_VALUE_LENGTH) {
                problems.add(
                    field
                        + ": the value is "
                        + v.length()
                        + " characters long; label values may have at most 63");
              } else if (!LABEL_VALUE.matcher(v).matches()) {
                problems.add(
                    field(
                        field + " value",
                        v,
                        "must be empty or letters, digits, '-', '_' and '.', starting and ending"
                            + " with a letter or digit"));
              }
            });
  }

  private static void annotations(Map<String, String> annotations, List<String> problems) {
    long bytes = 0;
    for (Map.Entry<String, String> e : sorted(annotations).entrySet()) {
      String field = "spec.secret.annotations[" + show(e.getKey()) + "]";
      keyProblems(field, e.getKey(), problems);
      if (RESERVED_LABELS.contains(e.getKey())) {
        problems.add(field + ": this key is the operator's; remove it");
      }
      bytes += utf8Length(e.getKey()) + (e.getValue() == null ? 0 : utf8Length(e.getValue()));
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) {
      problems.add(
          "spec.secret.annotations are " + bytes + " bytes in total; at most 262144 are allowed");
    }
  }

  // Kubernetes qualified names: an optional DNS-subdomain prefix and '/', then a name part.
  private static void keyProblems(String field, String key, List<String> problems) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (prefix != null) {
      if (prefix.isEmpty()
          || prefix.length() > MAX_DNS_SUBDOMAIN
          || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        problems.add(
            field
                + ": the key prefix before '/' must be a DNS subdomain (lower-case letters, digits,"
                + " '-' and '.') of at most 253 characters");
      }
    }
    if (name.isEmpty()
        || name.length() > MAX_QUALIFIED_NAME_PART
        || !QUALIFIED_NAME_PART.matcher(name).matches()) {
      problems.add(
          field
              + ": the key name must be 1 to 63 letters, digits, '-', '_' and '.', starting and"
              + " ending with a letter or digit, with at most one '/' before it");
    }
  }

  private static Map<String, String> sorted(Map<String, String> map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    if (map != null) {
      // A null key cannot come from JSON; skip it rather than fail the whole validation.
      map.forEach(
          (k, v) -> {
            if (k != null) {
              sorted.put(k, v);
            }
          });
    }
    return sorted;
  }

  private static String field(String field, String value, String problem) {
    return field + " " + show(value) + " " + problem;
  }

  // Values are shown so that the message says which one is wrong; cut and made printable so a
  // hostile value cannot flood or forge the status message.
  static String show(String value) {
    String cut =
        value.length() > SHOWN_CHARACTERS ? value.substring(0, SHOWN_CHARACTERS) + "..." : value;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
