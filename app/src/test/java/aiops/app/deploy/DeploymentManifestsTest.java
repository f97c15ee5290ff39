package aiops.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import aiops.app.runtime.Pipeline;
import aiops.common.config.ConfigKey;
import aiops.common.config.CoreConfig;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment files are checked here, since nothing on these machines runs them: the compose file and every
 * manifest parse, topics match the catalogue, every AIOPS_* variable they set is one the code reads, images are pinned,
 * workloads are probed, bounded and locked down, secrets are referenced and never inlined, and the overlays build.
 */
class DeploymentManifestsTest {

    static final Path ROOT = Path.of("..");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern PINNED = Pattern.compile("[a-z0-9./-]+(:v?[0-9][A-Za-z0-9._-]*)(@sha256:[0-9a-f]{64})?");
    static final Pattern VARIABLE = Pattern.compile("\\bAIOPS_[A-Z0-9_]+\\b");
    /** Read straight from the environment rather than through a configuration key. */
    static final Set<String> DIRECT = Set.of("AIOPS_CONFIG_FILE", "AIOPS_API_KEY", "AIOPS_LOG_LEVEL", "AIOPS_JAVA_OPTS");

    static Set<String> knownVariables() {
        final Set<String> names = new HashSet<>(DIRECT);
        Pipeline.KEYS.forEach(k -> names.add(k.envName()));
        CoreConfig.ALL.forEach(k -> names.add(k.envName()));
        return names;
    }

    /** The compose file with its {@code <<} merge keys resolved, as Compose resolves them. */
    static JsonNode compose() throws IOException {
        final Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker/compose.yaml")));
        return new ObjectMapper().valueToTree(tree);
    }

    static List<JsonNode> documents(final Path file) throws IOException {
        final List<JsonNode> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    out.add(d);
                }
            });
        }
        return out;
    }

    static List<JsonNode> manifests() throws IOException {
        final List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
            for (final Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (!f.getFileName().toString().equals("kustomization.yaml")) {
                    out.addAll(documents(f));
                }
            }
        }
        return out;
    }

    static List<JsonNode> kind(final List<JsonNode> docs, final String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    @Test
    void everyCatalogueTopicShouldHaveAMatchingKafkaTopic() throws IOException {
        final Map<String, JsonNode> topics = new HashMap<>();
        kind(manifests(), "KafkaTopic").forEach(t -> topics.put(t.at("/spec/topicName").asText(), t));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(TopicSpec::name).toList());
        for (final TopicSpec<?> spec : Topics.ALL) {
            final JsonNode t = topics.get(spec.name());
            assertThat(t.at("/spec/partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            final JsonNode config = t.at("/spec/config");
            spec.brokerConfig().forEach((key, value) -> {
                if (!key.equals("min.insync.replicas")) {
                    assertThat(config.path(key).asText()).as("%s %s", spec.name(), key).isEqualTo(value);
                }
            });
        }
    }

    @Test
    void composeShouldPinEveryImageAndCheckTheHealthOfEveryLongRunningService() throws IOException {
        final JsonNode compose = compose();
        final Set<String> services = new TreeSet<>();
        compose.path("services").fields().forEachRemaining(e -> {
            final String name = e.getKey();
            final JsonNode s = e.getValue();
            services.add(name);
            assertThat(s.path("image").asText()).as("image of %s", name).matches(PINNED);
            if (!"topics".equals(name)) {
                assertThat(s.path("healthcheck").path("test").isArray()).as("health check of %s", name).isTrue();
            }
        });
        assertThat(services).contains("kafka", "registry", "postgres", "ingest", "streams", "analyzer", "remediator",
                "ledger", "forecaster", "assistant", "prometheus", "grafana");
        assertThat(compose.at("/services/kafka/image").asText()).startsWith("apache/kafka:");
        assertThat(compose.at("/services/registry/image").asText()).startsWith("apicurio/apicurio-registry:3.");
        assertThat(compose.at("/services/postgres/image").asText()).startsWith("postgres:16");
        final String prometheus = Files.readString(ROOT.resolve("docker/prometheus/prometheus.yml"));
        for (final String service : List.of("ingest", "streams", "analyzer", "remediator", "ledger", "forecaster",
                "assistant")) {
            assertThat(prometheus).as("Prometheus scrapes %s", service).contains("\"" + service + ":8080\"");
            assertThat(compose.at("/services/" + service + "/command/0").asText()).isEqualTo(service);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "k8s"})
    void everyAiopsVariableInTheDeploymentFilesShouldBeOneTheConfigurationReads(final String dir) throws IOException {
        final Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
            for (final Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".json")).toList()) {
                final Matcher m = VARIABLE.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(knownVariables()).as("variables the code reads").containsAll(used);
    }

    @Test
    void theEnvExampleShouldNameEveryVariableAndDeploymentsShouldSetTheRequiredOnes() throws IOException {
        final String example = Files.readString(ROOT.resolve("docker/.env.example"));
        for (final String name : knownVariables()) {
            assertThat(example).as(".env.example mentions %s", name).contains(name);
        }
        final String compose = Files.readString(ROOT.resolve("docker/compose.yaml"));
        final JsonNode config = kind(manifests(), "ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals("aiops-config")).findFirst().orElseThrow();
        for (final ConfigKey<?> key : CoreConfig.PROCESSOR_KEYS) {
            if (key.isRequired()) {
                assertThat(compose).as("compose sets %s", key.envName()).contains(key.envName() + ":");
                assertThat(config.path("data").has(key.envName())).as("aiops-config sets %s", key.envName()).isTrue();
            }
        }
    }

    @Test
    void workloadsShouldBeProbedBoundedNonRootReadOnlyAndPinned() throws IOException {
        final List<JsonNode> docs = manifests();
        final List<JsonNode> workloads = new ArrayList<>(kind(docs, "Deployment"));
        workloads.addAll(kind(docs, "StatefulSet"));
        assertThat(workloads).extracting(w -> w.at("/metadata/name").asText()).contains("aiops-ingest", "aiops-streams",
                "aiops-analyzer", "aiops-remediator", "aiops-ledger", "aiops-forecaster", "aiops-assistant",
                "aiops-registry");
        for (final JsonNode w : workloads) {
            final String name = w.at("/metadata/name").asText();
            final JsonNode pod = w.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s runs as non-root", name).isTrue();
            assertThat(kind(docs, "PodDisruptionBudget")).as("%s has a PodDisruptionBudget", name)
                    .anyMatch(p -> p.at("/metadata/name").asText().equals(name));
            for (final JsonNode c : pod.path("containers")) {
                assertThat(c.path("image").asText()).as("%s image", name).matches(PINNED);
                assertThat(c.has("readinessProbe") && c.has("livenessProbe")).as("%s probes", name).isTrue();
                assertThat(c.at("/resources/requests").has("memory") && c.at("/resources/limits").has("memory"))
                        .as("%s resources", name).isTrue();
                assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as("%s read-only", name).isTrue();
                assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
                for (final JsonNode env : c.path("env")) {
                    final String var = env.path("name").asText();
                    if (var.matches(".*(PASSWORD|SECRET|_KEY|TOKEN).*")) {
                        assertThat(env.has("value")).as("%s: %s comes from a secret, never inline", name, var).isFalse();
                    }
                }
            }
        }
        assertThat(kind(docs, "Secret")).as("secrets are created outside the manifests").isEmpty();
        assertThat(kind(docs, "ScaledObject")).singleElement().satisfies(s -> {
            assertThat(s.at("/spec/scaleTargetRef/name").asText()).isEqualTo("aiops-analyzer");
            assertThat(s.at("/spec/triggers/0/type").asText()).isEqualTo("kafka");
            assertThat(s.at("/spec/maxReplicaCount").asInt()).isLessThanOrEqualTo(Topics.INCIDENTS.partitions());
        });
        assertThat(kind(docs, "NetworkPolicy")).anyMatch(p -> p.at("/spec/podSelector").isEmpty()
                && p.at("/spec/policyTypes/0").asText().equals("Ingress") && !p.at("/spec").has("ingress"));
        assertThat(kind(docs, "Kafka")).singleElement().satisfies(k ->
                assertThat(k.at("/metadata/annotations/strimzi.io~1kraft").asText()).isEqualTo("enabled"));
        assertThat(kind(docs, "KafkaNodePool")).isNotEmpty();
        assertThat(kind(docs, "Cluster")).singleElement().satisfies(c ->
                assertThat(c.path("apiVersion").asText()).startsWith("postgresql.cnpg.io/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theOverlayShouldBuildWithKubectlKustomize(final String overlay) throws Exception {
        assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl"))),
                "kubectl is not installed");
        final Process p = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("k8s/overlays/" + overlay).toString())
                .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        final List<JsonNode> built = new ArrayList<>();
        YAML.readValues(YAML.getFactory().createParser(out), JsonNode.class).forEachRemaining(built::add);
        assertThat(kind(built, "KafkaTopic")).hasSize(Topics.ALL.size());
        assertThat(built).extracting(d -> d.path("kind").asText()).contains("Deployment", "StatefulSet", "Kafka",
                "Cluster", "ScaledObject", "NetworkPolicy", "Role", "RoleBinding", "ServiceAccount");
    }
}
