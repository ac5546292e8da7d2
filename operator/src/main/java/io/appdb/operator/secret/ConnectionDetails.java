package io.appdb.operator.secret;

import io.appdb.operator.api.v1alpha1.Engine;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an application needs to connect: the app-facing address, the database, the user and its
 * password. {@link #toString()} never shows the password, so a details object can be logged.
 *
 * @param urlParameters query parameters for the URLs; kept sorted by key so that rendering is
 *     stable and an unchanged spec never rewrites the Secret
 */
public record ConnectionDetails(
    Engine engine,
    String host,
    int port,
    String database,
    String username,
    String password,
    Map<String, String> urlParameters) {

  public ConnectionDetails {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be within 1..65535, got " + port);
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    if (urlParameters != null) {
      urlParameters.forEach(
          (k, v) -> sorted.put(Objects.requireNonNull(k, "urlParameters key"), v == null ? "" : v));
    }
    urlParameters = Collections.unmodifiableMap(sorted);
  }

  @Override
  public String toString() {
    return "ConnectionDetails["
        + engine.value()
        + " "
        + username
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database
        + " password=<redacted> urlParameters="
        + urlParameters
        + "]";
  }
}
