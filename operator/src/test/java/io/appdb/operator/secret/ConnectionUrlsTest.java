package io.appdb.operator.secret;

import static io.appdb.operator.api.v1alpha1.Engine.MYSQL;
import static io.appdb.operator.api.v1alpha1.Engine.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.conf.ConnectionUrl;
import com.mysql.cj.conf.HostInfo;
import io.appdb.operator.api.v1alpha1.Engine;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionUrlsTest {

  static final List<String> HOSTILE_PASSWORDS =
      List.of(
          "plain0123456789ABCDEFabcdef",
          "@:/?#[]%",
          "with space",
          "plus+sign",
          "%41%",
          "%",
          "&sslmode=disable",
          "'\"`;\\",
          "ünïcødé€",
          "\uD83D\uDE00",
          "tab\tnewline\ncr\r",
          "~-._",
          "!$&'()*+,;=",
          "a=b&c=d?e#f",
          "");

  @Test
  void postgresUrlsLookAsDocumented() {
    ConnectionDetails d =
        new ConnectionDetails(
            POSTGRESQL,
            "shared-postgres.db.svc",
            5432,
            "teacher_portal",
            "teacher_portal_user",
            "pw",
            Map.of("sslmode", "require"));
    assertThat(ConnectionUrls.databaseUrl(d))
        .isEqualTo(
            "postgresql://teacher_portal_user:pw@shared-postgres.db.svc:5432/teacher_portal?sslmode=require");
    assertThat(ConnectionUrls.jdbcUrl(d))
        .isEqualTo("jdbc:postgresql://shared-postgres.db.svc:5432/teacher_portal?sslmode=require");
  }

  @Test
  void mysqlUrlsLookAsDocumented() {
    ConnectionDetails d =
        new ConnectionDetails(MYSQL, "mysql.db", 3306, "billing", "billing_user", "pw", Map.of());
    assertThat(ConnectionUrls.databaseUrl(d))
        .isEqualTo("mysql://billing_user:pw@mysql.db:3306/billing");
    assertThat(ConnectionUrls.jdbcUrl(d)).isEqualTo("jdbc:mysql://mysql.db:3306/billing");
  }

  @Test
  void jdbcUrlNeverContainsCredentials() {
    for (String password : HOSTILE_PASSWORDS) {
      ConnectionDetails d = details(POSTGRESQL, "h", password, Map.of());
      String jdbc = ConnectionUrls.jdbcUrl(d);
      assertThat(jdbc).doesNotContain("@").doesNotContain("app_user");
      if (password.length() > 3) {
        assertThat(jdbc).doesNotContain(password).doesNotContain(ConnectionUrls.encode(password));
      }
    }
  }

  @Test
  void parametersAreSortedAndEncoded() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("zeta", "last");
    params.put("sslrootcert", "/etc/ssl/my ca.pem");
    params.put("alpha", "a&b=c");
    ConnectionDetails d = details(POSTGRESQL, "h", "pw", params);
    assertThat(ConnectionUrls.jdbcUrl(d))
        .isEqualTo(
            "jdbc:postgresql://h:5432/app?alpha=a%26b%3Dc&sslrootcert=%2Fetc%2Fssl%2Fmy%20ca.pem&zeta=last");
  }

  @Test
  void encodeLeavesOnlyUnreservedCharacters() {
    assertThat(ConnectionUrls.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
    assertThat(ConnectionUrls.encode("@:/?#[]% +")).isEqualTo("%40%3A%2F%3F%23%5B%5D%25%20%2B");
    assertThat(ConnectionUrls.encode("é")).isEqualTo("%C3%A9");
    assertThat(ConnectionUrls.encode("\uD83D\uDE00")).isEqualTo("%F0%9F%98%80");
    assertThat(ConnectionUrls.encode("\u0000")).isEqualTo("%00");
    for (int c = 0; c < 128; c++) {
      String encoded = ConnectionUrls.encode(String.valueOf((char) c));
      assertThat(encoded).matches("[A-Za-z0-9\\-._~]|%[0-9A-F]{2}");
    }
  }

  @ParameterizedTest
  @MethodSource("hostilePasswordsOnBothEngines")
  void databaseUrlRoundTripsThroughJavaNetUri(Engine engine, String password) throws Exception {
    Map<String, String> params = Map.of("application_name", password, "sslmode", "require");
    ConnectionDetails d = details(engine, "db.example.com", password, params);
    URI uri = new URI(ConnectionUrls.databaseUrl(d));
    assertThat(uri.getScheme()).isEqualTo(engine.value());
    assertThat(uri.getHost()).isEqualTo("db.example.com");
    assertThat(uri.getPort()).isEqualTo(d.port());
    assertThat(uri.getPath()).isEqualTo("/app");
    assertThat(uri.getFragment()).isNull();
    String userInfo = uri.getUserInfo();
    int colon = userInfo.indexOf(':');
    assertThat(userInfo.substring(0, colon)).isEqualTo("app_user");
    assertThat(userInfo.substring(colon + 1)).isEqualTo(password);
    assertThat(decodeQuery(uri.getRawQuery()))
        .containsExactly(Map.entry("application_name", password), Map.entry("sslmode", "require"));
  }

  @ParameterizedTest
  @MethodSource("hostilePasswordsOnBothEngines")
  void databaseUrlIsAValidRfc3986UriWithoutRawDelimitersInCredentials(Engine engine, String pw) {
    String url = ConnectionUrls.databaseUrl(details(engine, "h", pw, Map.of()));
    String credentials = url.substring(url.indexOf("://") + 3, url.lastIndexOf('@'));
    assertThat(credentials).matches("[A-Za-z0-9\\-._~%]+:[A-Za-z0-9\\-._~%]*");
    assertThat(url.chars().filter(c -> c == '@').count()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "[::1]", "fe80::1", "2001:db8::10", "::ffff:192.0.2.1"})
  void ipv6HostsAreBracketed(String host) throws Exception {
    ConnectionDetails d = details(POSTGRESQL, host, "pw", Map.of());
    String bare = host.replace("[", "").replace("]", "");
    assertThat(ConnectionUrls.jdbcUrl(d)).isEqualTo("jdbc:postgresql://[" + bare + "]:5432/app");
    URI uri = new URI(ConnectionUrls.databaseUrl(d));
    assertThat(uri.getHost()).isEqualTo("[" + bare + "]");
    assertThat(uri.getPort()).isEqualTo(5432);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "db.svc",
        "10.0.0.1",
        "localhost",
        "a",
        "my_host.internal",
        "UPPER.example.com",
        "::1",
        "[2001:db8::1]"
      })
  void validHosts(String host) {
    assertThat(ConnectionUrls.isValidHost(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "evil.com/path",
        "user@evil.com",
        "host:5432",
        "a b",
        "h?x=1",
        "h#frag",
        "-leading",
        "trailing-",
        "fe80::1%eth0",
        "[::1",
        "ünï.com",
        "h\n"
      })
  void hostsThatWouldChangeTheUrlAreRefused(String host) {
    assertThat(ConnectionUrls.isValidHost(host)).isFalse();
    ConnectionDetails d = details(MYSQL, host, "pw", Map.of());
    assertThatThrownBy(() -> ConnectionUrls.jdbcUrl(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host must be a DNS name or an IP address");
    assertThatThrownBy(() -> ConnectionUrls.databaseUrl(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
  }

  @Test
  void nullHostIsNotValid() {
    assertThat(ConnectionUrls.isValidHost(null)).isFalse();
    assertThat(ConnectionUrls.isValidHost("a".repeat(253))).isTrue();
    assertThat(ConnectionUrls.isValidHost("a".repeat(254))).isFalse();
  }

  @ParameterizedTest
  @MethodSource("hostileParameters")
  void pgjdbcParsesTheJdbcUrl(String host, String value) {
    ConnectionDetails d =
        details(POSTGRESQL, host, "pw", Map.of("sslmode", "require", "options", value));
    Properties props = org.postgresql.Driver.parseURL(ConnectionUrls.jdbcUrl(d), new Properties());
    assertThat(props).as(ConnectionUrls.jdbcUrl(d)).isNotNull();
    assertThat(props.getProperty("PGDBNAME")).isEqualTo("app");
    assertThat(props.getProperty("PGHOST")).isEqualTo(bracketedIfIpv6(host));
    assertThat(props.getProperty("PGPORT")).isEqualTo("5432");
    assertThat(props.getProperty("sslmode")).isEqualTo("require");
    assertThat(props.getProperty("options")).isEqualTo(value);
  }

  @ParameterizedTest
  @MethodSource("hostileParameters")
  void connectorJParsesTheJdbcUrl(String host, String value) {
    ConnectionDetails d =
        new ConnectionDetails(
            MYSQL,
            host,
            3307,
            "app",
            "app_user",
            "pw",
            Map.of("sslMode", "REQUIRED", "connectionAttributes", value));
    ConnectionUrl url =
        ConnectionUrl.getConnectionUrlInstance(ConnectionUrls.jdbcUrl(d), new Properties());
    HostInfo main = url.getMainHost();
    assertThat(main.getHost()).isEqualTo(bracketedIfIpv6(host));
    assertThat(main.getPort()).isEqualTo(3307);
    assertThat(main.getDatabase()).isEqualTo("app");
    assertThat(main.getHostProperties())
        .containsEntry("sslMode", "REQUIRED")
        .containsEntry("connectionAttributes", value);
  }

  @ParameterizedTest
  @MethodSource("hostilePasswordsOnBothEngines")
  void connectorJReadsTheCredentialsOfTheMysqlDatabaseUrl(Engine engine, String password) {
    if (engine != MYSQL || password.isEmpty()) {
      return; // Connector/J reads the mysql form only; an empty password means "none" to it.
    }
    ConnectionDetails d = details(MYSQL, "db.example.com", password, Map.of());
    ConnectionUrl url =
        ConnectionUrl.getConnectionUrlInstance(
            "jdbc:" + ConnectionUrls.databaseUrl(d), new Properties());
    assertThat(url.getMainHost().getUser()).isEqualTo("app_user");
    assertThat(url.getMainHost().getPassword()).isEqualTo(password);
    assertThat(url.getMainHost().getDatabase()).isEqualTo("app");
  }

  @Test
  void equalDetailsGiveByteEqualUrls() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("b", "2");
    a.put("a", "1");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("a", "1");
    b.put("b", "2");
    assertThat(ConnectionUrls.databaseUrl(details(MYSQL, "h", "p", a)))
        .isEqualTo(ConnectionUrls.databaseUrl(details(MYSQL, "h", "p", b)))
        .endsWith("?a=1&b=2");
  }

  static Stream<Arguments> hostilePasswordsOnBothEngines() {
    return Stream.of(Engine.values())
        .flatMap(e -> HOSTILE_PASSWORDS.stream().map(p -> Arguments.of(e, p)));
  }

  static Stream<Arguments> hostileParameters() {
    List<String> hosts = List.of("db.example.com", "10.1.2.3", "::1", "2001:db8::7");
    List<String> values = List.of("plain", "-c search_path=app", "a&b=c", "x+y %z", "ünï", "#?/@:");
    return hosts.stream().flatMap(h -> values.stream().map(v -> Arguments.of(h, v)));
  }

  private static String bracketedIfIpv6(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static Map<String, String> decodeQuery(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static ConnectionDetails details(
      Engine engine, String host, String password, Map<String, String> params) {
    return new ConnectionDetails(
        engine, host, engine.defaultPort(), "app", "app_user", password, params);
  }
}
