package io.appdb.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Validates manifests against the openAPIV3Schema of the CRDs the build generates, the way the API
 * server would: every example in {@code examples/} must pass, every manifest in {@code
 * src/test/resources/invalid/} must fail for the reason its {@code # expect:} line names.
 *
 * <p>The schema is read as JSON Schema draft 4 (what OpenAPI v3 schemas are based on), with the
 * {@code x-kubernetes-*} extensions dropped (CEL rules need an old object to compare with and are
 * not checked here). Unknown fields are made errors: the API server would prune them silently and
 * kubectl's strict field validation refuses them, and either way a typo in an example would
 * otherwise go unnoticed.
 */
class CrdSchemaTest {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String EXPECT = "# expect: ";

  /** "group/version Kind" -> schema. */
  private static final Map<String, JsonSchema> SCHEMAS = new TreeMap<>();

  @BeforeAll
  static void loadGeneratedCrds() throws IOException {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    for (Path crd : generatedCrds()) {
      JsonNode spec = YAML.readTree(crd.toFile()).path("spec");
      String group = spec.path("group").asText();
      String kind = spec.path("names").path("kind").asText();
      for (JsonNode version : spec.path("versions")) {
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        assertThat(schema.isObject()).as("openAPIV3Schema of %s", crd).isTrue();
        SCHEMAS.put(
            group + "/" + version.path("name").asText() + " " + kind,
            factory.getSchema(asStrictDraft4(schema)));
      }
    }
  }

  @Test
  void bothCrdsAreGenerated() {
    assertThat(SCHEMAS.keySet())
        .containsExactlyInAnyOrder(
            "appdb.io/v1alpha1 AppDatabase", "appdb.io/v1alpha1 DatabaseServer");
  }

  @TestFactory
  Stream<DynamicTest> everyExampleValidates() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(repoRoot().resolve("examples"))) {
      files = list.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    int checked = 0;
    for (Path file : files) {
      int index = 0;
      for (JsonNode doc : documents(Files.readString(file))) {
        index++;
        if (!doc.path("apiVersion").asText().startsWith(DatabaseServer.GROUP + "/")) {
          continue; // Namespaces, Secrets, Deployments: not ours to check
        }
        checked++;
        String name = file.getFileName() + "#" + index + " " + doc.path("kind").asText();
        tests.add(
            DynamicTest.dynamicTest(name, () -> assertThat(validate(doc)).as(name).isEmpty()));
      }
    }
    assertThat(checked)
        .as("AppDatabase/DatabaseServer documents in examples/")
        .isGreaterThanOrEqualTo(4);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyInvalidManifestFailsForItsReason() throws IOException {
    Path dir = Path.of(resource("invalid"));
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      String text = Files.readString(file);
                      assertThat(text).as("first line of %s", file).startsWith(EXPECT);
                      String expected =
                          text.lines().findFirst().orElseThrow().substring(EXPECT.length());
                      List<JsonNode> docs = documents(text);
                      assertThat(docs).hasSize(1);
                      List<String> errors = validate(docs.get(0));
                      assertThat(errors).as(file.getFileName().toString()).isNotEmpty();
                      assertThat(errors)
                          .as("errors of %s", file.getFileName())
                          .anySatisfy(e -> assertThat(e).contains(expected));
                    }));
  }

  @Test
  void theStrictSchemaStillAcceptsAMinimalManifestAndRefusesUnknownTopLevelFields()
      throws IOException {
    JsonNode minimal =
        YAML.readTree(
            "apiVersion: appdb.io/v1alpha1\nkind: AppDatabase\nmetadata: {name: a, namespace: b}\n");
    assertThat(validate(minimal)).isEmpty();
    JsonNode extra = YAML.readTree("apiVersion: appdb.io/v1alpha1\nkind: AppDatabase\nspek: {}\n");
    assertThat(validate(extra)).singleElement().asString().contains("spek");
  }

  static List<String> validate(JsonNode doc) {
    String key = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
    JsonSchema schema = SCHEMAS.get(key);
    if (schema == null) {
      return List.of("no schema for " + key);
    }
    return schema.validate(doc).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  /** A copy of {@code schema} as plain draft 4 that refuses unknown fields. */
  static JsonNode asStrictDraft4(JsonNode schema) {
    ObjectNode root = (ObjectNode) strict(schema.deepCopy());
    ObjectNode properties =
        root.has("properties") ? (ObjectNode) root.get("properties") : root.putObject("properties");
    properties.set("apiVersion", JsonNodeFactory.instance.objectNode().put("type", "string"));
    properties.set("kind", JsonNodeFactory.instance.objectNode().put("type", "string"));
    properties.set("metadata", JsonNodeFactory.instance.objectNode().put("type", "object"));
    return root;
  }

  private static JsonNode strict(JsonNode node) {
    if (!node.isObject()) {
      return node;
    }
    ObjectNode schema = (ObjectNode) node;
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    List<String> extensions = new ArrayList<>();
    schema
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (f.startsWith("x-kubernetes-")) {
                extensions.add(f);
              }
            });
    schema.remove(extensions);
    if (schema.has("properties")) {
      schema.get("properties").fields().forEachRemaining(p -> strict(p.getValue()));
      if (!schema.has("additionalProperties") && !preserveUnknown) {
        schema.set("additionalProperties", BooleanNode.FALSE);
      }
    }
    for (String child : List.of("items", "additionalProperties", "not")) {
      if (schema.has(child)) {
        strict(schema.get(child));
      }
    }
    for (String list : List.of("allOf", "anyOf", "oneOf")) {
      schema.path(list).forEach(CrdSchemaTest::strict);
    }
    return schema;
  }

  static List<Path> generatedCrds() throws IOException {
    Path dir = Path.of(resource("META-INF/fabric8"));
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> crds = list.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
      assertThat(crds)
          .as("generated CRDs in %s (run: mvn -o -q -B -pl operator process-classes)", dir)
          .isNotEmpty();
      return crds;
    }
  }

  private static java.net.URI resource(String name) {
    try {
      java.net.URL url = CrdSchemaTest.class.getClassLoader().getResource(name);
      assertThat(url)
          .as("%s on the classpath (run: mvn -o -q -B -pl operator process-classes)", name)
          .isNotNull();
      return url.toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The repository root: system property {@code appdb.repoRoot}, else the module's parent. */
  static Path repoRoot() {
    String configured = System.getProperty("appdb.repoRoot");
    if (configured != null && Files.isDirectory(Path.of(configured).resolve("operator"))) {
      return Path.of(configured);
    }
    return Path.of("").toAbsolutePath().getParent();
  }
}
