package io.appdb.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side printing for the operator's resources, as a real API server does with a CRD's {@code
 * additionalPrinterColumns}: {@code kubectl get appdb} then shows Ready, Server, Database and
 * Secret instead of only the name. Only the JSONPath forms the CRDs use are understood ({@code
 * .a.b} and {@code [?(@.key=="value")]}); anything else prints as empty.
 */
final class PrinterTables {

  private static final Pattern PATH =
      Pattern.compile("/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/]+)(?:/([^/]+))?");
  private static final Pattern STEP =
      Pattern.compile("\\.([A-Za-z0-9_]+)|\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)\\]");

  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, List<CustomResourceColumnDefinition>> columnsByPath = new HashMap<>();

  PrinterTables(List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      var version = crd.getSpec().getVersions().get(0);
      columnsByPath.put(
          crd.getSpec().getGroup()
              + "/"
              + version.getName()
              + "/"
              + crd.getSpec().getNames().getPlural(),
          version.getAdditionalPrinterColumns());
    }
  }

  /** Whether kubectl asked for a Table (it always accepts plain JSON as well). */
  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * The Table for a successful GET of one of the CRDs' resources or lists; empty for anything else.
   */
  Optional<String> toTable(String path, String body, Instant now) {
    Matcher m = PATH.matcher(path);
    if (!m.matches() || "status".equals(m.group(4))) {
      return Optional.empty();
    }
    List<CustomResourceColumnDefinition> columns =
        columnsByPath.get(m.group(1) + "/" + m.group(2) + "/" + m.group(3));
    if (columns == null) {
      return Optional.empty();
    }
    JsonNode response;
    try {
      response = mapper.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode table = mapper.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    JsonNode listMetadata = response.path("metadata");
    if (response.has("items") && listMetadata.has("resourceVersion")) {
      metadata.set("resourceVersion", listMetadata.get("resourceVersion"));
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "Name of the resource")
        .put("priority", 0);
    for (CustomResourceColumnDefinition column : columns) {
      definitions
          .addObject()
          .put("name", column.getName())
          .put("type", "date".equals(column.getType()) ? "string" : column.getType())
          .put("format", "")
          .put("description", column.getDescription() == null ? "" : column.getDescription())
          .put("priority", column.getPriority() == null ? 0 : column.getPriority());
    }
    ArrayNode rows = table.putArray("rows");
    Iterable<JsonNode> objects = response.has("items") ? response.get("items") : List.of(response);
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(object.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition column : columns) {
        JsonNode value = select(object, column.getJsonPath());
        if (value == null || value.isNull() || value.isMissingNode()) {
          cells.addNull();
        } else if ("date".equals(column.getType())) {
          cells.add(age(value.asText(), now));
        } else {
          cells.add(value);
        }
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", object.path("metadata"));
    }
    return Optional.of(table.toString());
  }

  static JsonNode select(JsonNode node, String jsonPath) {
    Matcher step = STEP.matcher(jsonPath);
    int position = 0;
    JsonNode current = node;
    while (position < jsonPath.length()) {
      if (!step.find(position) || step.start() != position || current == null) {
        return null;
      }
      if (step.group(1) != null) {
        current = current.get(step.group(1));
      } else {
        current = first(current, step.group(2), step.group(3));
      }
      position = step.end();
    }
    return current;
  }

  private static JsonNode first(JsonNode array, String key, String value) {
    if (array == null || !array.isArray()) {
      return null;
    }
    for (JsonNode element : array) {
      if (value.equals(element.path(key).asText(null))) {
        return element;
      }
    }
    return null;
  }

  /** The short form kubectl prints in AGE columns ({@code 45s}, {@code 3m12s}, {@code 5h}). */
  static String age(String timestamp, Instant now) {
    Duration d;
    try {
      d = Duration.between(Instant.parse(timestamp), now);
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
    long seconds = Math.max(0, d.getSeconds());
    long minutes = seconds / 60;
    long hours = minutes / 60;
    if (seconds < 120) {
      return seconds + "s";
    }
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    return hours / 24 + "d";
  }
}
