package io.appdb.operator.secret;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The two connection strings of the Secret. {@code DATABASE_URL} is the libpq / twelve-factor form
 * with credentials ({@code postgresql://user:pw@host:port/db?k=v}, {@code mysql://...}); {@code
 * JDBC_URL} has none, so it can be shown and logged by the application.
 *
 * <p>Every user-supplied part is percent-encoded per RFC 3986: only the unreserved characters
 * {@code A-Z a-z 0-9 - . _ ~} stay as they are, every other UTF-8 byte becomes {@code %XX} (upper
 * case). That includes {@code +} and space, so decoders that treat {@code +} as a space (Java's
 * {@code URLDecoder}, used by both JDBC drivers) read the same value back. Query parameters come in
 * key order, so equal inputs give byte-equal URLs.
 */
public final class ConnectionUrls {

  private static final Pattern HOST_NAME =
      Pattern.compile("^[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$");
  private static final Pattern IPV6_LITERAL =
      Pattern.compile("^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ConnectionUrls() {}

  /** {@code <engine>://user:password@host:port/database?params}, all parts encoded. */
  public static String databaseUrl(ConnectionDetails d) {
    return d.engine().value()
        + "://"
        + encode(d.username())
        + ":"
        + encode(d.password())
        + "@"
        + authority(d)
        + "/"
        + encode(d.database())
        + query(d.urlParameters());
  }

  /** {@code jdbc:<engine>://host:port/database?params}: no credentials. */
  public static String jdbcUrl(ConnectionDetails d) {
    return "jdbc:"
        + d.engine().value()
        + "://"
        + authority(d)
        + "/"
        + encode(d.database())
        + query(d.urlParameters());
  }

  /**
   * True for a DNS name, an IPv4 address or an IPv6 literal (bare or in brackets, without a zone
   * id). Anything else could change the meaning of the URL it is put into, so the URL builders
   * refuse it; callers validating a DatabaseServer should use this same check.
   */
  public static boolean isValidHost(String host) {
    return host != null
        && (HOST_NAME.matcher(host).matches() || IPV6_LITERAL.matcher(unbracketed(host)).matches());
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters. */
  public static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static String authority(ConnectionDetails d) {
    return urlHost(d.host()) + ":" + d.port();
  }

  private static String urlHost(String host) {
    if (HOST_NAME.matcher(host).matches()) {
      return host;
    }
    String bare = unbracketed(host);
    if (IPV6_LITERAL.matcher(bare).matches()) {
      return "[" + bare + "]";
    }
    throw new IllegalArgumentException(
        "host must be a DNS name or an IP address, got '" + host + "'");
  }

  private static String unbracketed(String host) {
    return host.length() >= 2 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }

  private static String query(Map<String, String> parameters) {
    if (parameters.isEmpty()) {
      return "";
    }
    StringJoiner query = new StringJoiner("&", "?", "");
    // ConnectionDetails keeps parameters sorted; the order here is therefore stable.
    parameters.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
    return query.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
