package aiops.app.runtime;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.assistant.AssistantService;
import aiops.assistant.AssistantSettings;
import aiops.common.config.AiopsConfig;
import aiops.forecast.ForecastSettings;
import aiops.forecast.Forecaster;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerSettings;
import aiops.remediator.Remediator;
import aiops.remediator.RemediatorSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Every processor on one embedded runtime, configured like {@code aiops run}: the incident topology, the analyzer,
 * the ledger writer, the forecaster, the remediator and the assistant (MCP tools and their index). Closes them in reverse start order.
 */
public final class Pipeline implements AutoCloseable {

    /** Every key the embedded pipeline reads. */
    public static final List<aiops.common.config.ConfigKey<?>> KEYS = keys();

    private final StreamsService streams;
    private final Analyzer analyzer;
    private final Ledger ledger;
    private final Forecaster forecaster;
    private final Remediator remediator;
    private final AssistantService assistant;

    private Pipeline(final StreamsService streams, final Analyzer analyzer, final Ledger ledger,
                     final Forecaster forecaster, final Remediator remediator, final AssistantService assistant) {
        this.streams = streams;
        this.analyzer = analyzer;
        this.ledger = ledger;
        this.forecaster = forecaster;
        this.remediator = remediator;
        this.assistant = assistant;
    }

    /** @param base the validated configuration; {@code remediation} may differ from it (a replay's permissions) */
    public static Pipeline start(final EmbeddedRuntime runtime, final AiopsConfig base,
                                 final RemediatorSettings remediation, final MeterRegistry metrics) throws Exception {
        final List<AutoCloseable> started = new ArrayList<>();
        try {
            final StreamsService streams = StreamsService.start(runtime.kafka(),
                    base.get(StreamsConfigKeys.APPLICATION_ID), runtime.home().resolve("streams"),
                    StreamsConfigKeys.from(base), metrics);
            started.add(streams);
            final Analyzer analyzer = Analyzer.start(runtime.kafka(), AnalyzerConfig.Worker.from(base),
                    LlmSettings.from(base), metrics);
            started.add(analyzer);
            final Ledger ledger = Ledger.start(runtime.kafka(), runtime.dataSource(), LedgerSettings.from(base), metrics);
            started.add(ledger);
            final Forecaster forecaster = Forecaster.start(runtime.kafka(), runtime.dataSource(),
                    ForecastSettings.from(base), metrics);
            started.add(forecaster);
            final Remediator remediator = Remediator.start(runtime.kafka(), runtime.dataSource(), remediation);
            started.add(remediator);
            final AssistantService assistant = AssistantService.start(runtime.kafka(), runtime.dataSource(),
                    AssistantSettings.from(base), LlmSettings.from(base), metrics, BuildInfo.version(), true);
            return new Pipeline(streams, analyzer, ledger, forecaster, remediator, assistant);
        } catch (final Exception e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (final Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static List<aiops.common.config.ConfigKey<?>> keys() {
        final List<aiops.common.config.ConfigKey<?>> keys = new ArrayList<>(aiops.common.config.CoreConfig.EMBEDDED_KEYS);
        keys.addAll(StreamsConfigKeys.ALL);
        keys.addAll(AnalyzerConfig.ALL);
        keys.addAll(LedgerSettings.ALL);
        keys.addAll(ForecastSettings.ALL);
        keys.addAll(RemediatorSettings.ALL);
        keys.addAll(AssistantSettings.ALL);
        return List.copyOf(keys);
    }

    public StreamsService streams() {
        return streams;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    public Ledger ledger() {
        return ledger;
    }

    public Forecaster forecaster() {
        return forecaster;
    }

    public Remediator remediator() {
        return remediator;
    }

    public AssistantService assistant() {
        return assistant;
    }

    @Override
    public void close() throws Exception {
        assistant.close();
        remediator.close();
        forecaster.close();
        ledger.close();
        analyzer.close();
        streams.close();
    }
}
