package io.appdb.playground;

/** A kubeconfig for the in-process API: plain HTTP on loopback, no credentials. */
final class Kubeconfig {

  static final String NAME = "appdb-playground";

  private Kubeconfig() {}

  static String render(String serverUrl) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: {}
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
        current-context: %1$s
        preferences: {}
        """
        .formatted(NAME, serverUrl);
  }
}
