package io.appdb.playground;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDR;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy discovery documents ({@code /api}, {@code /apis}, {@code /apis/<group>/<version>})
 * that kubectl needs to map {@code appdb}, {@code dbserver}, {@code secret}, ... to URLs. The mock
 * API server stores any resource but announces none, so the playground announces what it uses: the
 * core and apps resources of the examples and the operator's two CRDs.
 */
final class DiscoveryDocuments {

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private DiscoveryDocuments() {}

  /** Request path (no query) to JSON body. */
  static Map<String, String> build(String serverAddress, List<CustomResourceDefinition> crds) {
    KubernetesSerialization json = new KubernetesSerialization();
    Map<String, List<APIResource>> groups = new LinkedHashMap<>();
    groups.put(
        "apps/v1",
        List.of(
            resource("deployments", "deployment", "Deployment", true, "deploy"),
            resource("replicasets", "replicaset", "ReplicaSet", true, "rs"),
            resource("statefulsets", "statefulset", "StatefulSet", true, "sts")));
    for (CustomResourceDefinition crd : crds) {
      String version = crd.getSpec().getVersions().get(0).getName();
      String groupVersion = crd.getSpec().getGroup() + "/" + version;
      List<APIResource> resources = new ArrayList<>(groups.getOrDefault(groupVersion, List.of()));
      CustomResourceDefinitionNames names = crd.getSpec().getNames();
      resources.add(
          resource(
              names.getPlural(),
              names.getSingular(),
              names.getKind(),
              "Namespaced".equals(crd.getSpec().getScope()),
              names.getShortNames().toArray(String[]::new)));
      groups.put(groupVersion, resources);
    }

    Map<String, String> documents = new LinkedHashMap<>();
    documents.put(
        "/api",
        json.asJson(
            new APIVersionsBuilder()
                .withVersions("v1")
                .withServerAddressByClientCIDRs(
                    new ServerAddressByClientCIDR("0.0.0.0/0", serverAddress))
                .build()));
    documents.put(
        "/api/v1",
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion("v1")
                .withResources(
                    resource("namespaces", "namespace", "Namespace", false, "ns"),
                    resource("secrets", "secret", "Secret", true),
                    resource("configmaps", "configmap", "ConfigMap", true, "cm"),
                    resource("events", "event", "Event", true, "ev"),
                    resource("pods", "pod", "Pod", true, "po"),
                    resource("services", "service", "Service", true, "svc"),
                    resource("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa"))
                .build()));
    List<APIGroup> groupList = new ArrayList<>();
    groups.forEach(
        (groupVersion, resources) -> {
          String[] parts = groupVersion.split("/", 2);
          GroupVersionForDiscovery preferred = new GroupVersionForDiscovery(groupVersion, parts[1]);
          groupList.add(
              new APIGroupBuilder()
                  .withName(parts[0])
                  .withVersions(preferred)
                  .withPreferredVersion(preferred)
                  .build());
          documents.put(
              "/apis/" + groupVersion,
              json.asJson(
                  new APIResourceListBuilder()
                      .withGroupVersion(groupVersion)
                      .withResources(resources)
                      .build()));
        });
    documents.put("/apis", json.asJson(new APIGroupListBuilder().withGroups(groupList).build()));
    return documents;
  }

  private static APIResource resource(
      String plural, String singular, String kind, boolean namespaced, String... shortNames) {
    return new APIResourceBuilder()
        .withName(plural)
        .withSingularName(singular)
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(VERBS)
        .withShortNames(shortNames)
        .build();
  }
}
