package io.appdb.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTablesTest {

  private final PrinterTables tables = new PrinterTables(OperatorCrds.load());
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void listsBecomeTablesWithTheCrdPrinterColumns() throws Exception {
    String list =
        """
        {"kind":"AppDatabaseList","apiVersion":"appdb.io/v1alpha1","metadata":{"resourceVersion":"7"},
         "items":[{"metadata":{"name":"billing","namespace":"billing","creationTimestamp":"2025-01-01T00:00:00Z"},
                   "status":{"server":"shared-mysql","databaseName":"billing_billing","binding":{"name":"billing-db"},
                             "conditions":[{"type":"Reconciling","status":"False"},{"type":"Ready","status":"True"}]}}]}
        """;

    JsonNode table =
        mapper.readTree(
            tables
                .toTable(
                    "/apis/appdb.io/v1alpha1/namespaces/billing/appdatabases",
                    list,
                    Instant.parse("2025-01-01T00:03:10Z"))
                .orElseThrow());

    assertThat(table.get("kind").asText()).isEqualTo("Table");
    List<String> columns = new ArrayList<>();
    table.get("columnDefinitions").forEach(c -> columns.add(c.get("name").asText()));
    assertThat(columns).containsExactly("Name", "Age", "Secret", "Ready", "Database", "Server");
    List<String> cells = new ArrayList<>();
    table.get("rows").get(0).get("cells").forEach(c -> cells.add(c.asText()));
    assertThat(cells)
        .containsExactly(
            "billing", "3m10s", "billing-db", "True", "billing_billing", "shared-mysql");
    assertThat(table.get("rows").get(0).at("/object/metadata/namespace").asText())
        .isEqualTo("billing");
  }

  @Test
  void otherResourcesAndSubresourcesAreLeftAlone() {
    assertThat(tables.toTable("/api/v1/namespaces/x/secrets", "{}", Instant.now())).isEmpty();
    assertThat(
            tables.toTable(
                "/apis/appdb.io/v1alpha1/namespaces/x/appdatabases/y/status", "{}", Instant.now()))
        .isEmpty();
  }

  @Test
  void agesReadLikeKubectl() {
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(PrinterTables.age("2025-01-01T00:00:00Z", t0.plusSeconds(59))).isEqualTo("59s");
    assertThat(PrinterTables.age("2025-01-01T00:00:00Z", t0.plusSeconds(300))).isEqualTo("5m");
    assertThat(PrinterTables.age("2025-01-01T00:00:00Z", t0.plusSeconds(3600))).isEqualTo("60m");
    assertThat(PrinterTables.age("2025-01-01T00:00:00Z", t0.plusSeconds(4 * 3600 + 60)))
        .isEqualTo("4h1m");
    assertThat(PrinterTables.age("2025-01-01T00:00:00Z", t0.plusSeconds(3 * 86400)))
        .isEqualTo("3d");
  }
}
