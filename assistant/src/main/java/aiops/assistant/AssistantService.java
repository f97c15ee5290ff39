package aiops.assistant;

import aiops.analyzer.budget.BudgetGuard;
import aiops.analyzer.llm.LlmSettings;
import aiops.assistant.chat.AssistantRoutes;
import aiops.assistant.chat.AssistantSessions;
import aiops.assistant.chat.OpsAssistant;
import aiops.assistant.mcp.McpDoor;
import aiops.assistant.store.AssistantSchema;
import aiops.assistant.store.IndexWriter;
import aiops.assistant.store.OpsIndex;
import aiops.assistant.tools.CatalogTools;
import aiops.assistant.tools.IncidentTools;
import aiops.assistant.tools.LedgerTools;
import aiops.assistant.tools.OpsToolbox;
import aiops.assistant.tools.ProposalTool;
import aiops.assistant.tools.ToolDef;
import aiops.avro.Analysis;
import aiops.avro.BudgetState;
import aiops.avro.Forecast;
import aiops.avro.Incident;
import aiops.avro.LlmUsage;
import aiops.avro.RemediationEvent;
import aiops.avro.RemediationProposal;
import aiops.avro.ServiceEntry;
import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import aiops.common.http.ApiServer;
import aiops.common.kafka.CompactedTopicView;
import aiops.common.kafka.DbOffsetConsumer;
import aiops.common.kafka.KafkaSettings;
import aiops.ledger.LedgerQueries;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server and the assistant of one process: indexes incidents, analyses and remediation events into
 * PostgreSQL (offsets in the same transactions), reads the catalogue and forecasts as compacted views, and serves
 * the tools at {@code /mcp}, the assistant at {@code /api/v1/assistant/query}, or MCP over stdio.
 */
public final class AssistantService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AssistantService.class);
    private static final int MAX_BATCH = 500;

    private final List<AutoCloseable> owned;
    private final List<DbOffsetConsumer<?>> indexers;
    private final CompactedTopicView<ServiceEntry> catalog;
    private final McpDoor door;
    private final OpsAssistant assistant;
    private McpDoor.Http http;

    private AssistantService(final List<AutoCloseable> owned, final List<DbOffsetConsumer<?>> indexers,
                             final CompactedTopicView<ServiceEntry> catalog, final McpDoor door,
                             final OpsAssistant assistant) {
        this.owned = owned;
        this.indexers = indexers;
        this.catalog = catalog;
        this.door = door;
        this.assistant = assistant;
    }

    /**
     * @param index whether this process keeps the index current (the server does; {@code aiops mcp --stdio} reads
     *              the index a running server keeps)
     */
    public static AssistantService start(final KafkaSettings kafka, final DataSource db, final AssistantSettings settings,
                                         final LlmSettings llm, final MeterRegistry metrics, final String version,
                                         final boolean index) throws InterruptedException {
        AssistantSchema.migrate(db);
        final List<AutoCloseable> owned = new ArrayList<>();
        final CompactedTopicView<ServiceEntry> catalog = CompactedTopicView.start(kafka, Topics.CATALOG);
        owned.add(catalog);
        final CompactedTopicView<Forecast> forecasts = CompactedTopicView.start(kafka, Topics.FORECASTS);
        owned.add(forecasts);
        final CompactedTopicView<BudgetState> budgets = CompactedTopicView.start(kafka, Topics.BUDGET);
        owned.add(budgets);
        if (!catalog.awaitCaughtUp(Duration.ofSeconds(60)) || !forecasts.awaitCaughtUp(Duration.ofSeconds(60))
                || !budgets.awaitCaughtUp(Duration.ofSeconds(60))) {
            closeAll(owned);
            throw new IllegalStateException("could not read " + Topics.CATALOG.name() + ", "
                    + Topics.FORECASTS.name() + " and " + Topics.BUDGET.name() + " within 60 s");
        }
        final EmbeddingModel embedder = new AllMiniLmL6V2QuantizedEmbeddingModel();
        final OpsIndex opsIndex = new OpsIndex(db);
        final KafkaProducer<String, RemediationProposal> proposals = producer(kafka, Topics.PROPOSALS,
                settings.groupId() + "-proposals");
        owned.add(proposals);
        final KafkaProducer<String, LlmUsage> usage = producer(kafka, Topics.LLM_USAGE, settings.groupId() + "-usage");
        owned.add(usage);
        final List<ToolDef> tools = new ArrayList<>(new IncidentTools(opsIndex, embedder).tools());
        tools.addAll(new CatalogTools(catalog::get, forecasts::snapshot).tools());
        tools.addAll(new LedgerTools(new LedgerQueries(db)).tools());
        tools.add(new ProposalTool(proposals, opsIndex, settings.proposalWait()).tool());
        final OpsToolbox toolbox = new OpsToolbox(tools, db, settings.maxOutputChars(), metrics);
        final OpsAssistant assistant = new OpsAssistant(toolbox, new AssistantSessions(settings.sessionTtl(),
                settings.maxSessions(), settings.sessionMessages()), () -> catalog.snapshot().keySet(), llm, usage,
                settings.maxToolCalls(), new BudgetGuard(budgets::snapshot));
        final List<DbOffsetConsumer<?>> indexers = new ArrayList<>();
        if (index) {
            final IndexWriter writer = new IndexWriter(embedder);
            final String group = settings.groupId();
            indexers.add(new DbOffsetConsumer<Incident>(kafka, Topics.INCIDENTS, group + "-incidents", "assistant",
                    db, MAX_BATCH, writer::incidents, b -> { }).start());
            indexers.add(new DbOffsetConsumer<Analysis>(kafka, Topics.ANALYSES, group + "-analyses", "assistant",
                    db, MAX_BATCH, writer::analyses, b -> { }).start());
            indexers.add(new DbOffsetConsumer<RemediationEvent>(kafka, Topics.REMEDIATIONS, group + "-remediations",
                    "assistant", db, MAX_BATCH, writer::remediations, b -> { }).start());
        }
        LOG.info("assistant started: {} tools, answers by {}{}", tools.size(), assistant.mode(),
                index ? ", indexing incidents, analyses and remediations" : "");
        return new AssistantService(owned, indexers, catalog, new McpDoor(toolbox, catalog::get, version), assistant);
    }

    private static <V extends SpecificRecord> KafkaProducer<String, V> producer(final KafkaSettings kafka,
                                                                               final TopicSpec<V> topic,
                                                                               final String clientId) {
        return new KafkaProducer<>(kafka.producerProps(clientId), new StringSerializer(),
                AvroSerdes.valueSerde(topic, kafka.registryConfig()).serializer());
    }

    public void register(final RoutesConfig routes) {
        new AssistantRoutes(assistant).register(routes);
    }

    /** The MCP servlet to mount on the API server (readonly keys may connect; each tool checks its own role). */
    public synchronized List<ApiServer.Mount> mounts() {
        if (http == null) {
            http = door.http();
        }
        return List.of(new ApiServer.Mount(McpDoor.PATH, http.servlet(), Role.READONLY));
    }

    /** An MCP server on these streams acting for {@code principal} (stdio). */
    public McpSyncServer stdio(final Principal principal, final InputStream in, final OutputStream out) {
        return door.stdio(principal, in, out);
    }

    public Optional<ServiceEntry> service(final String name) {
        return catalog.get(name);
    }

    public OpsAssistant assistant() {
        return assistant;
    }

    public boolean isHealthy() {
        return indexers.stream().allMatch(DbOffsetConsumer::isHealthy);
    }

    /** Incidents, analyses and remediation events indexed so far by this process. */
    public long indexed() {
        return indexers.stream().mapToLong(DbOffsetConsumer::committedRecords).sum();
    }

    /** Stops indexing at once, as a crash would (nothing further is committed), and releases the rest. */
    public void kill() throws Exception {
        for (final DbOffsetConsumer<?> c : indexers) {
            c.kill();
        }
        closeAll(owned);
    }

    @Override
    public void close() throws Exception {
        if (http != null) {
            http.server().closeGracefully();
        }
        for (final DbOffsetConsumer<?> c : indexers) {
            c.close();
        }
        closeAll(owned);
    }

    private static void closeAll(final List<AutoCloseable> all) {
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (final Exception e) {
                LOG.debug("could not close {}", all.get(i), e);
            }
        }
    }

}
