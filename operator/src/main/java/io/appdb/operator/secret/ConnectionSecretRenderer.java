package io.appdb.operator.secret;

import io.appdb.operator.api.v1alpha1.AppDatabase;
import io.appdb.operator.api.v1alpha1.SecretSpec;
import io.appdb.operator.naming.NameRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The connection Secret of DESIGN §3.3, built from an AppDatabase and its connection details.
 *
 * <p>Everything goes into {@code data} (base64), never {@code stringData}: the API server converts
 * {@code stringData} on write, so a Secret read back would never equal the one rendered and every
 * reconcile would rewrite it (the test mock does not convert at all).
 *
 * <p>With {@code serviceBinding: true} the servicebinding.io entries are added. {@code type} is the
 * engine ({@code postgresql} or {@code mysql}), which is what binding consumers such as Spring
 * Cloud Bindings select on. {@code provider} is {@value #SERVICE_BINDING_PROVIDER}: the spec means
 * who provides the service, and the engine is already in {@code type} ({@code mysql} would also be
 * wrong for a MariaDB server).
 */
public final class ConnectionSecretRenderer {

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "appdb-operator";

  /** Names the AppDatabase a Secret belongs to (shortened with a hash beyond 63 characters). */
  public static final String APPDATABASE_LABEL = "appdb.io/appdatabase";

  public static final String SERVICE_BINDING_PROVIDER = "appdb-operator";
  public static final String SECRET_TYPE = "Opaque";
  public static final String DEFAULT_SECRET_SUFFIX = "-db";

  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String JDBC_URL = "JDBC_URL";
  public static final String DB_TYPE = "DB_TYPE";
  public static final String DB_HOST = "DB_HOST";
  public static final String DB_PORT = "DB_PORT";
  public static final String DB_NAME = "DB_NAME";
  public static final String DB_USER = "DB_USER";
  public static final String DB_PASSWORD = "DB_PASSWORD";

  /** The keys every connection Secret carries. */
  public static final List<String> STANDARD_KEYS =
      List.of(DATABASE_URL, JDBC_URL, DB_TYPE, DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD);

  /** The servicebinding.io well-known entries written with {@code serviceBinding: true}. */
  public static final List<String> SERVICE_BINDING_KEYS =
      List.of(
          "type",
          "provider",
          "host",
          "port",
          "database",
          "username",
          "password",
          "uri",
          "jdbc-url");

  private static final String OWNER_API_VERSION = HasMetadata.getApiVersion(AppDatabase.class);
  private static final String OWNER_KIND = HasMetadata.getKind(AppDatabase.class);
  private static final int MAX_LABEL_VALUE = 63;
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

  private ConnectionSecretRenderer() {}

  /** The Secret's name: {@code spec.secret.name}, or {@code <metadata.name>-db}. */
  public static String secretName(AppDatabase owner) {
    SecretSpec spec = owner.getSpec() == null ? null : owner.getSpec().getSecret();
    String configured = spec == null ? null : spec.getName();
    return configured != null ? configured : owner.getMetadata().getName() + DEFAULT_SECRET_SUFFIX;
  }

  /**
   * Renders the desired Secret.
   *
   * @throws IllegalArgumentException if a template is invalid; validate the spec first
   */
  public static Secret render(AppDatabase owner, String secretName, ConnectionDetails d) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(secretName, "secretName");
    Objects.requireNonNull(d, "details");
    SecretSpec spec =
        owner.getSpec() == null || owner.getSpec().getSecret() == null
            ? new SecretSpec()
            : owner.getSpec().getSecret();

    String databaseUrl = ConnectionUrls.databaseUrl(d);
    String jdbcUrl = ConnectionUrls.jdbcUrl(d);
    Map<String, String> values = new LinkedHashMap<>();
    values.put(DATABASE_URL, databaseUrl);
    values.put(JDBC_URL, jdbcUrl);
    values.put(DB_TYPE, d.engine().value());
    values.put(DB_HOST, d.host());
    values.put(DB_PORT, Integer.toString(d.port()));
    values.put(DB_NAME, d.database());
    values.put(DB_USER, d.username());
    values.put(DB_PASSWORD, d.password());
    if (spec.serviceBindingEnabled()) {
      values.put("type", d.engine().value());
      values.put("provider", SERVICE_BINDING_PROVIDER);
      values.put("host", d.host());
      values.put("port", Integer.toString(d.port()));
      values.put("database", d.database());
      values.put("username", d.username());
      values.put("password", d.password());
      values.put("uri", databaseUrl);
      values.put("jdbc-url", jdbcUrl);
    }
    spec.getTemplate().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        // Standard keys win: the validator reports collisions, this only keeps them intact.
        .forEach(e -> values.putIfAbsent(e.getKey(), SecretTemplate.render(e.getValue(), d)));

    Map<String, String> labels = new LinkedHashMap<>(spec.getLabels());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
    labels.put(APPDATABASE_LABEL, labelValue(owner.getMetadata().getName()));

    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(new LinkedHashMap<>(spec.getAnnotations()))
        .withOwnerReferences(ownerReference(owner))
        .endMetadata()
        .withType(SECRET_TYPE)
        .withData(encodeAll(values))
        .build();
  }

  /** The password in {@code DB_PASSWORD}; empty if absent, blank or not valid base64. */
  public static Optional<String> password(Secret secret) {
    if (secret == null) {
      return Optional.empty();
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(DB_PASSWORD);
    Optional<String> decoded = Optional.empty();
    if (encoded != null) {
      try {
        decoded =
            Optional.of(
                new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    } else if (secret.getStringData() != null) {
      // A real API server folds stringData into data; the test mock keeps it as written.
      decoded = Optional.ofNullable(secret.getStringData().get(DB_PASSWORD));
    }
    return decoded.filter(p -> !p.isBlank());
  }

  /** True if {@code owner} is the Secret's controller (matched by uid, not by name). */
  public static boolean ownedBy(Secret secret, AppDatabase owner) {
    String uid = owner.getMetadata() == null ? null : owner.getMetadata().getUid();
    if (uid == null || secret == null || secret.getMetadata() == null) {
      return false;
    }
    List<OwnerReference> refs = secret.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && uid.equals(r.getUid()));
  }

  /**
   * True if writing {@code desired} over {@code existing} would change nothing the operator
   * manages: data, type, labels, annotations and owner references. Server-set metadata
   * (resourceVersion, managedFields, ...) is ignored; labels or annotations someone added by hand
   * count as drift, because the spec is the whole truth about this Secret.
   */
  public static boolean sameContent(Secret existing, Secret desired) {
    return Objects.equals(orEmpty(existing.getData()), orEmpty(desired.getData()))
        && Objects.equals(typeOf(existing), typeOf(desired))
        && Objects.equals(
            orEmpty(existing.getMetadata().getLabels()), orEmpty(desired.getMetadata().getLabels()))
        && Objects.equals(
            orEmpty(existing.getMetadata().getAnnotations()),
            orEmpty(desired.getMetadata().getAnnotations()))
        && Objects.equals(refs(existing), refs(desired));
  }

  private static OwnerReference ownerReference(AppDatabase owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(OWNER_API_VERSION)
        .withKind(OWNER_KIND)
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static String labelValue(String name) {
    if (name.length() <= MAX_LABEL_VALUE && LABEL_VALUE.matcher(name).matches()) {
      return name;
    }
    String hash = NameRules.shortHash(name);
    String prefix = name.substring(0, Math.min(name.length(), MAX_LABEL_VALUE - hash.length() - 1));
    String safe = prefix.replaceAll("[^-A-Za-z0-9_.]", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return safe.isEmpty() ? hash : safe + "-" + hash;
  }

  private static Map<String, String> encodeAll(Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return data;
  }

  private static String typeOf(Secret secret) {
    // The API server defaults an empty type to Opaque; the mock does not.
    return secret.getType() == null || secret.getType().isEmpty() ? SECRET_TYPE : secret.getType();
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private record Ref(
      String apiVersion,
      String kind,
      String name,
      String uid,
      boolean controller,
      boolean blockOwnerDeletion) {}

  private static List<Ref> refs(Secret secret) {
    List<OwnerReference> refs = secret.getMetadata().getOwnerReferences();
    return refs == null
        ? List.of()
        : refs.stream()
            .map(
                r ->
                    new Ref(
                        r.getApiVersion(),
                        r.getKind(),
                        r.getName(),
                        r.getUid(),
                        Boolean.TRUE.equals(r.getController()),
                        Boolean.TRUE.equals(r.getBlockOwnerDeletion())))
            .toList();
  }
}
