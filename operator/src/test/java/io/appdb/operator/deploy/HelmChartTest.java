package io.appdb.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.appdb.operator.OperatorRuntime;
import io.appdb.operator.config.Settings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Lints the chart and asserts what it renders: the RBAC rules exactly, the pod's security context,
 * the APPDB_* environment (parsed by {@link Settings} itself), probes, replicas and leader
 * election, namespaced mode, optional objects and the CRD copies.
 */
class HelmChartTest {

  private static final String RELEASE = "appdb";
  private static final String NAMESPACE = "appdb-system";
  private static final String FULLNAME = "appdb-appdb-operator";
  private static final Path CHART = RepoRoot.path().resolve("helm/appdb-operator");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @TempDir Path tmp;

  // ---------------------------------------------------------------- expected RBAC

  private static Rule rule(String group, String resource, String... verbs) {
    return new Rule(group, resource, Set.of(), Set.of(verbs));
  }

  /** One (apiGroup, resource) pair per rule, so that comparisons ignore how rules are grouped. */
  record Rule(String group, String resource, Set<String> names, Set<String> verbs) {}

  private static final Set<Rule> CLUSTER_SCOPED_RULES =
      Set.of(
          rule("appdb.io", "databaseservers", "get", "list", "watch", "patch", "update"),
          rule("appdb.io", "databaseservers/status", "patch", "update"),
          rule("", "namespaces", "get"));

  private static final Set<Rule> NAMESPACED_RULES =
      Set.of(
          rule("appdb.io", "appdatabases", "get", "list", "watch", "patch", "update"),
          rule("appdb.io", "appdatabases/status", "patch", "update"),
          rule("appdb.io", "appdatabases/finalizers", "update"),
          rule("", "secrets", "get", "list", "watch", "create", "update", "delete"),
          rule("", "events", "create", "patch"));

  private static final Set<Rule> LEASE_RULES =
      Set.of(
          rule("coordination.k8s.io", "leases", "create"),
          new Rule(
              "coordination.k8s.io",
              "leases",
              Set.of(OperatorRuntime.LEASE_NAME),
              Set.of("get", "update")));

  private static Set<Rule> union(Set<Rule> a, Set<Rule> b) {
    return Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
  }

  private static Set<Rule> flatten(List<PolicyRule> rules) {
    Set<Rule> result = new HashSet<>();
    for (PolicyRule r : rules) {
      assertThat(r.getNonResourceURLs()).as("no non-resource URLs").isNullOrEmpty();
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          Rule flat =
              new Rule(
                  group,
                  resource,
                  Set.copyOf(r.getResourceNames() == null ? List.of() : r.getResourceNames()),
                  Set.copyOf(r.getVerbs()));
          assertThat(result.add(flat)).as("duplicate rule %s", flat).isTrue();
        }
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- rendering

  private List<HasMetadata> render(String valuesYaml) throws IOException {
    Path values = tmp.resolve("values-" + System.nanoTime() + ".yaml");
    Files.writeString(values, valuesYaml);
    String out =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withValuesFile(values)
            .call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : out.split("(?m)^---\\s*$")) {
      boolean hasContent =
          doc.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
      if (hasContent) {
        objects.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
      }
    }
    return objects;
  }

  private List<HasMetadata> renderDefaults() throws IOException {
    return render("{}");
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as("exactly one %s", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static List<GenericKubernetesResource> kind(List<HasMetadata> objects, String kind) {
    return all(objects, GenericKubernetesResource.class).stream()
        .filter(r -> kind.equals(r.getKind()))
        .toList();
  }

  private static Container operatorContainer(List<HasMetadata> objects) {
    List<Container> containers =
        one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, String> env(List<HasMetadata> objects) {
    Map<String, String> env = new TreeMap<>();
    for (EnvVar var : operatorContainer(objects).getEnv()) {
      if (var.getValueFrom() != null) {
        assertThat(var.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        env.put(var.getName(), NAMESPACE); // what the downward API resolves to
      } else {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  private static Map<String, Role> rolesByNamespace(List<HasMetadata> objects, String name) {
    return all(objects, Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), r -> r));
  }

  private static void assertBindsOperatorServiceAccount(List<Subject> subjects) {
    assertThat(subjects).hasSize(1);
    assertThat(subjects.get(0).getKind()).isEqualTo("ServiceAccount");
    assertThat(subjects.get(0).getName()).isEqualTo(FULLNAME);
    assertThat(subjects.get(0).getNamespace()).isEqualTo(NAMESPACE);
  }

  // ---------------------------------------------------------------- lint

  @Test
  void lintStrictPasses() {
    LintResult result = new Helm(CHART).lint().strict().call();

    assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void valuesOutsideTheSchemaAreRefused() {
    assertThatThrownBy(() -> render("replicas: 2\n")).hasMessageContaining("replicas");
    assertThatThrownBy(() -> render("logLevel: VERBOSE\n")).hasMessageContaining("logLevel");
    assertThatThrownBy(() -> render("watchNamespaces: [Team_A]\n"))
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> render("resyncInterval: 10m\n"))
        .hasMessageContaining("resyncInterval");
  }

  @Test
  void everyValueIsDocumented() throws IOException {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    // A key is documented when a comment sits directly above it or above one of its parents.
    List<Integer> documentedIndents = new ArrayList<>();
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("- ")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      documentedIndents.removeIf(parent -> parent >= indent);
      boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
      boolean isParent = stripped.endsWith(":");
      if (commented) {
        documentedIndents.add(indent);
      } else if (!isParent && documentedIndents.isEmpty()) {
        undocumented.add(stripped);
      }
    }
    assertThat(undocumented).as("values without a comment").isEmpty();
  }

  // ---------------------------------------------------------------- RBAC

  @Test
  void allNamespacesModeGrantsExactlyTheOperatorsRulesInOneClusterRole() throws IOException {
    List<HasMetadata> objects = renderDefaults();

    ClusterRole clusterRole = one(objects, ClusterRole.class);
    assertThat(clusterRole.getMetadata().getName()).isEqualTo(FULLNAME);
    assertThat(flatten(clusterRole.getRules()))
        .containsExactlyInAnyOrderElementsOf(union(CLUSTER_SCOPED_RULES, NAMESPACED_RULES));

    ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
    assertBindsOperatorServiceAccount(binding.getSubjects());

    assertThat(all(objects, Role.class))
        .as("the Lease Role is the only namespaced Role")
        .extracting(r -> r.getMetadata().getName())
        .containsExactly(FULLNAME + "-leader-election");
    assertThat(one(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo(FULLNAME);
  }

  @Test
  void noRuleGrantsWildcardsOrEscalation() throws IOException {
    List<HasMetadata> objects = new ArrayList<>(renderDefaults());
    objects.addAll(render("watchNamespaces: [a, b]\n"));
    List<PolicyRule> rules = new ArrayList<>();
    all(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    all(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));

    assertThat(rules).isNotEmpty();
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
      if (r.getVerbs().contains("delete")) {
        // Only the Secret of an account removed from spec.accounts is ever deleted.
        assertThat(r.getResources()).containsExactly("secrets");
      }
      assertThat(r.getResources()).doesNotContain("*");
      assertThat(r.getApiGroups()).doesNotContain("*");
    }
  }

  @Test
  void namespacedModeMovesNamespacedRulesIntoOneRolePerWatchedNamespace() throws IOException {
    List<HasMetadata> objects = render("watchNamespaces: [a, b]\n");

    ClusterRole clusterRole = one(objects, ClusterRole.class);
    assertThat(flatten(clusterRole.getRules()))
        .as("only cluster-scoped resources stay cluster-wide")
        .containsExactlyInAnyOrderElementsOf(CLUSTER_SCOPED_RULES);

    Map<String, Role> roles = rolesByNamespace(objects, FULLNAME);
    assertThat(roles).containsOnlyKeys("a", "b");
    roles
        .values()
        .forEach(
            role ->
                assertThat(flatten(role.getRules()))
                    .containsExactlyInAnyOrderElementsOf(NAMESPACED_RULES));

    List<RoleBinding> bindings =
        all(objects, RoleBinding.class).stream()
            .filter(b -> b.getMetadata().getName().equals(FULLNAME))
            .toList();
    assertThat(bindings)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("a", "b");
    for (RoleBinding b : bindings) {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(b.getRoleRef().getName()).isEqualTo(FULLNAME);
      assertBindsOperatorServiceAccount(b.getSubjects());
    }
  }

  @Test
  void namespacedModeReadsAdminSecretsOnlyWhereTheyAreKept() throws IOException {
    Map<String, Role> byDefault =
        rolesByNamespace(render("watchNamespaces: [a]\n"), FULLNAME + "-admin-secrets");
    assertThat(byDefault).containsOnlyKeys(NAMESPACE);
    assertThat(flatten(byDefault.get(NAMESPACE).getRules()))
        .containsExactly(rule("", "secrets", "get", "list", "watch"));

    Map<String, Role> configured =
        rolesByNamespace(
            render("watchNamespaces: [a]\nrbac:\n  adminSecretNamespaces: [db-admin, ops]\n"),
            FULLNAME + "-admin-secrets");
    assertThat(configured).containsOnlyKeys("db-admin", "ops");
  }

  @Test
  void namespacedModeMayRecordDatabaseServerEventsInDefault() throws IOException {
    Map<String, Role> roles =
        rolesByNamespace(render("watchNamespaces: [a]\n"), FULLNAME + "-server-events");

    assertThat(roles).containsOnlyKeys("default");
    assertThat(flatten(roles.get("default").getRules()))
        .containsExactly(rule("", "events", "create", "patch"));
  }

  @Test
  void rbacCanBeLeftToTheCluster() throws IOException {
    List<HasMetadata> objects = render("rbac:\n  create: false\n");

    assertThat(all(objects, ClusterRole.class)).isEmpty();
    assertThat(all(objects, Role.class)).isEmpty();
    assertThat(all(objects, RoleBinding.class)).isEmpty();
  }

  // ---------------------------------------------------------------- leader election

  @Test
  void leaseRoleLivesInTheReleaseNamespaceAndCoversOnlyTheOperatorsLease() throws IOException {
    List<HasMetadata> objects = renderDefaults();

    Map<String, Role> roles = rolesByNamespace(objects, FULLNAME + "-leader-election");
    assertThat(roles).containsOnlyKeys(NAMESPACE);
    assertThat(flatten(roles.get(NAMESPACE).getRules()))
        .containsExactlyInAnyOrderElementsOf(LEASE_RULES);
    RoleBinding binding =
        all(objects, RoleBinding.class).stream()
            .filter(b -> b.getMetadata().getName().equals(FULLNAME + "-leader-election"))
            .findFirst()
            .orElseThrow();
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertBindsOperatorServiceAccount(binding.getSubjects());
    assertThat(env(objects))
        .containsEntry("APPDB_LEADER_ELECTION", "true")
        .containsEntry("APPDB_LEASE_NAMESPACE", NAMESPACE);
  }

  @Test
  void leaseNamespaceCanBeChosen() throws IOException {
    List<HasMetadata> objects = render("leaderElection:\n  namespace: leases\n");

    assertThat(rolesByNamespace(objects, FULLNAME + "-leader-election")).containsOnlyKeys("leases");
    assertThat(env(objects)).containsEntry("APPDB_LEASE_NAMESPACE", "leases");
  }

  @Test
  void leaderElectionOffRemovesTheLeaseRoleAndTellsTheOperator() throws IOException {
    List<HasMetadata> objects = render("leaderElection:\n  enabled: false\n");

    assertThat(rolesByNamespace(objects, FULLNAME + "-leader-election")).isEmpty();
    assertThat(env(objects))
        .containsEntry("APPDB_LEADER_ELECTION", "false")
        .doesNotContainKey("APPDB_LEASE_NAMESPACE");
  }

  @Test
  void twoReplicasRunWithLeaderElectionAndAPodDisruptionBudget() throws IOException {
    List<HasMetadata> objects = render("replicaCount: 2\n");

    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(env(objects)).containsEntry("APPDB_LEADER_ELECTION", "true");
    PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void oneReplicaHasNoPodDisruptionBudget() throws IOException {
    assertThat(all(renderDefaults(), PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void severalReplicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(() -> render("replicaCount: 2\nleaderElection:\n  enabled: false\n"))
        .hasMessageContaining("replicaCount > 1 requires leaderElection.enabled=true");
  }

  // ---------------------------------------------------------------- pod

  @Test
  void podMeetsTheRestrictedPodSecurityStandard() throws IOException {
    List<HasMetadata> objects = renderDefaults();
    var pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();

    PodSecurityContext podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isEqualTo(65532L);
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    SecurityContext container = operatorContainer(objects).getSecurityContext();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getRunAsUser()).isPositive();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void chartUserMatchesTheImageUser() throws IOException {
    String dockerfileUser =
        Files.readAllLines(RepoRoot.path().resolve("Dockerfile")).stream()
            .map(String::strip)
            .filter(l -> l.startsWith("USER "))
            .reduce((first, second) -> second)
            .orElseThrow()
            .substring("USER ".length())
            .split(":")[0];

    long chartUser = operatorContainer(renderDefaults()).getSecurityContext().getRunAsUser();

    assertThat(chartUser).isEqualTo(Long.parseLong(dockerfileUser));
  }

  @Test
  void tmpIsTheOnlyWritablePath() throws IOException {
    List<HasMetadata> objects = renderDefaults();
    var pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();

    assertThat(operatorContainer(objects).getVolumeMounts())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/tmp");
              assertThat(m.getName()).isEqualTo("tmp");
            });
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("64Mi"));
  }

  @Test
  void resourcesAreBounded() throws IOException {
    var resources = operatorContainer(renderDefaults()).getResources();

    assertThat(resources.getRequests()).containsKeys("cpu", "memory");
    assertThat(resources.getLimits()).containsKey("memory");
  }

  @Test
  void probesUseHealthzAndReadyzOnTheHttpPort() throws IOException {
    List<HasMetadata> objects = render("httpPort: 9090\n");
    Container c = operatorContainer(objects);

    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(9090);
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(env(objects)).containsEntry("APPDB_HTTP_PORT", "9090");
  }

  // ---------------------------------------------------------------- env

  @Test
  void everySettingIsWiredFromValuesAndAcceptedByTheOperator() throws IOException {
    List<HasMetadata> objects =
        render(
            String.join(
                "\n",
                "watchNamespaces: [a, b]",
                "httpPort: 9191",
                "resyncInterval: PT5M",
                "sqlTimeout: PT20S",
                "logLevel: DEBUG",
                "leaderElection:",
                "  namespace: leases",
                ""));
    Map<String, String> env = env(objects);

    Set<String> appdbNames =
        env.keySet().stream()
            .filter(n -> n.startsWith("APPDB_"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(appdbNames).isEqualTo(new TreeSet<>(Settings.VARIABLES));

    Map<String, String> podEnv = new HashMap<>(env);
    podEnv.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    Settings settings = Settings.fromEnv(podEnv);

    assertThat(settings.watchNamespaces()).containsExactly("a", "b");
    assertThat(settings.httpPort()).isEqualTo(9191);
    assertThat(settings.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.sqlTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.logLevel()).isEqualTo(Level.DEBUG);
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.leaseNamespace()).contains("leases");
  }

  @Test
  void defaultEnvironmentParsesToTheDocumentedDefaults() throws IOException {
    Map<String, String> podEnv = new HashMap<>(env(renderDefaults()));
    podEnv.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");

    Settings settings = Settings.fromEnv(podEnv);

    assertThat(settings.watchesAllNamespaces()).isTrue();
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.sqlTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.logLevel()).isEqualTo(Level.INFO);
    assertThat(settings.leaseNamespace()).contains(NAMESPACE);
  }

  @Test
  void extraEnvIsAppended() throws IOException {
    Map<String, String> env =
        env(render("extraEnv:\n  - name: JAVA_TOOL_OPTIONS\n    value: -XX:MaxRAMPercentage=60\n"));

    assertThat(env).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60");
  }

  // ---------------------------------------------------------------- metrics

  @Test
  void metricsServiceTargetsTheHttpPortAndServiceMonitorIsOptional() throws IOException {
    List<HasMetadata> defaults = renderDefaults();
    Service service = one(defaults, Service.class);
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http-metrics");
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(one(defaults, Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(kind(defaults, "ServiceMonitor")).isEmpty();

    List<HasMetadata> withMonitor =
        render("serviceMonitor:\n  enabled: true\n  labels:\n    release: prom\n");
    GenericKubernetesResource monitor = kind(withMonitor, "ServiceMonitor").get(0);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    @SuppressWarnings("unchecked")
    Map<String, Object> selector =
        (Map<String, Object>)
            ((Map<String, Object>) monitor.getAdditionalProperties().get("spec")).get("selector");
    assertThat(one(withMonitor, Service.class).getMetadata().getLabels())
        .containsAllEntriesOf(castStringMap(selector.get("matchLabels")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints =
        (List<Map<String, Object>>)
            ((Map<String, Object>) monitor.getAdditionalProperties().get("spec")).get("endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("port", "http-metrics");
              assertThat(e).containsEntry("path", "/metrics");
            });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castStringMap(Object o) {
    return (Map<String, String>) o;
  }

  // ---------------------------------------------------------------- labels

  @Test
  void everyObjectCarriesTheRecommendedLabels() throws IOException {
    List<HasMetadata> objects = render("replicaCount: 2\nserviceMonitor:\n  enabled: true\n");

    assertThat(objects).hasSizeGreaterThan(10);
    for (HasMetadata o : objects) {
      assertThat(o.getMetadata().getLabels())
          .as("%s %s", o.getKind(), o.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "appdb-operator")
          .containsEntry("app.kubernetes.io/instance", RELEASE)
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("app.kubernetes.io/part-of", "appdb-operator")
          .containsKeys("app.kubernetes.io/version", "app.kubernetes.io/component");
    }
  }

  // ---------------------------------------------------------------- CRDs

  private static List<Path> yamlFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void chartCrdsAreExactCopiesOfTheRepositoryCrds() throws IOException {
    List<Path> repo = yamlFiles(RepoRoot.path().resolve("crds"));
    List<Path> chart = yamlFiles(CHART.resolve("files/crds"));

    assertThat(repo).as("crds/ holds the generated CRDs").isNotEmpty();
    assertThat(chart.stream().map(p -> p.getFileName().toString()))
        .as("helm/appdb-operator/files/crds must hold the same files as crds/")
        .containsExactlyElementsOf(repo.stream().map(p -> p.getFileName().toString()).toList());
    for (Path source : repo) {
      assertThat(Files.readString(CHART.resolve("files/crds").resolve(source.getFileName())))
          .as("%s differs from crds/; copy crds/*.yml into the chart", source.getFileName())
          .isEqualTo(Files.readString(source));
    }
  }

  @Test
  void crdsAreRenderedAsUpgradableTemplatesKeptOnUninstall() throws IOException {
    List<CustomResourceDefinition> crds = all(renderDefaults(), CustomResourceDefinition.class);
    List<Path> files = yamlFiles(CHART.resolve("files/crds"));

    assertThat(crds).hasSize(files.size()).isNotEmpty();
    for (Path file : files) {
      CustomResourceDefinition expected =
          SERIALIZATION.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      CustomResourceDefinition rendered =
          crds.stream()
              .filter(c -> c.getMetadata().getName().equals(expected.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      assertThat(rendered.getSpec()).isEqualTo(expected.getSpec());
      assertThat(rendered.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep");
    }
  }

  @Test
  void crdsCanBeLeftOutOrReleasedOnUninstall() throws IOException {
    assertThat(all(render("crds:\n  install: false\n"), CustomResourceDefinition.class)).isEmpty();

    List<CustomResourceDefinition> notKept =
        all(render("crds:\n  keep: false\n"), CustomResourceDefinition.class);
    assertThat(notKept).isNotEmpty();
    assertThat(notKept)
        .allSatisfy(
            c ->
                assertThat(c.getMetadata().getAnnotations())
                    .doesNotContainKey("helm.sh/resource-policy"));
  }
}
