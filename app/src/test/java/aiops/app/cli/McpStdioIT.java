package aiops.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.assistant.store.AssistantSchema;
import aiops.avro.KubernetesTarget;
import aiops.avro.ServiceEntry;
import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Role;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.ledger.LedgerSchema;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code aiops mcp --stdio} as a desktop client starts it: the packaged launcher as a child process, spoken to by the
 * SDK's stdio client transport, acting for the key in {@code AIOPS_API_KEY} with that key's role.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(EmbeddedStackExtension.class)
class McpStdioIT {

    static final Path JAR = Path.of(System.getProperty("aiops.jar", "target/aiops.jar"));
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldRoundTripToolCallsOverStdioWithTheKeysRole(final EmbeddedStack stack) throws Exception {
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String service = "stdio-svc-" + run;
        final String key;
        final HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(stack.postgres().jdbcUrl());
        try (HikariDataSource db = new HikariDataSource(hikari)) {
            ApiKeyStore.migrate(db);
            AssistantSchema.migrate(db);
            LedgerSchema.migrate(db);
            key = new ApiKeyStore(db).create("stdio-" + run, Role.READONLY, null, null).key();
        }
        try (KafkaProducer<String, ServiceEntry> p = new KafkaProducer<>(stack.kafkaSettings().producerProps("stdio-it"),
                new StringSerializer(), AvroSerdes.valueSerde(Topics.CATALOG, stack.kafkaSettings().registryConfig())
                .serializer())) {
            p.send(new ProducerRecord<>(Topics.CATALOG.name(), service, ServiceEntry.newBuilder().setName(service)
                    .setOwner("team-stdio").setTier(2).setDependsOn(List.of()).setUpdatedAt(Instant.now())
                    .setKubernetes(KubernetesTarget.newBuilder().setNamespace("shop").setDeployment(service).build())
                    .build())).get();
        }
        final Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AIOPS_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaSettings().bootstrapServers());
        env.put("AIOPS_REGISTRY_URL", stack.kafkaSettings().registryUrl());
        env.put("AIOPS_POSTGRES_URL", stack.postgres().jdbcUrl());
        env.put("AIOPS_POSTGRES_USER", "postgres");
        env.put("AIOPS_API_KEY", key);
        final ServerParameters server = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()).args("-Xmx512m", "-jar", JAR.toString(), "mcp", "--stdio").env(env).build();
        final StdioClientTransport transport = new StdioClientTransport(server,
                new JacksonMcpJsonMapper(new ObjectMapper()));
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build()) {
            final McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("aiops");
            assertThat(client.listTools().tools()).hasSize(9);
            final McpSchema.CallToolResult found = client.callTool(new McpSchema.CallToolRequest("get_service",
                    Map.of("service", service)));
            assertThat(found.isError()).isFalse();
            final JsonNode doc = JSON.readTree(((McpSchema.TextContent) found.content().get(0)).text());
            assertThat(doc.path("owner").asText()).isEqualTo("team-stdio");
            final McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest(
                    "propose_remediation", Map.of("incident_id", "inc-x", "action_type", "restart_deployment",
                    "service", service, "rationale", "try")));
            assertThat(refused.isError()).isTrue();
            assertThat(((McpSchema.TextContent) refused.content().get(0)).text()).contains("needs the user role");
        }
        final Process bad = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "mcp", "--stdio").redirectErrorStream(true).start();
        bad.getOutputStream().close();
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).as("no key: a clear configuration error").isEqualTo(2);
        assertThat(new String(bad.getInputStream().readAllBytes())).contains("AIOPS_API_KEY");
    }
}
