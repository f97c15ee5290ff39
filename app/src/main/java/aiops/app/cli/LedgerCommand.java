package aiops.app.cli;

import aiops.app.runtime.Database;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerQueries;
import aiops.ledger.LedgerRoutes;
import aiops.ledger.LedgerSchema;
import aiops.ledger.LedgerSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aiops ledger}: the cost ledger writer with its API; {@code report} and {@code reprice} against its database. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Run the cost ledger writer and dashboard projections with the ledger API until stopped.",
        subcommands = {LedgerCommand.Report.class, LedgerCommand.Reprice.class})
public final class LedgerCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig cfg = ProcessorApi.require(config.load(), LedgerSettings.ALL);
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-ledger");
            final HikariDataSource db = Database.pool(cfg, "aiops-ledger");
            final Ledger ledger = Ledger.start(kafka, db, LedgerSettings.from(cfg), metrics);
            final LedgerRoutes routes = new LedgerRoutes(new LedgerQueries(db));
            final ApiServer api = ProcessorApi.start(cfg, db, new Readiness().add("ledger", ledger::isHealthy),
                    metrics, routes::register);
            return new Lifecycle.Started(api.port(), List.of(db, ledger, api, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }

    /** Opens the ledger database named by the configuration, migrated. */
    static HikariDataSource database(final ConfigOption config) {
        final AiopsConfig cfg = config.load();
        cfg.require(List.of(CoreConfig.POSTGRES_URL.required(), CoreConfig.POSTGRES_USER, CoreConfig.POSTGRES_PASSWORD));
        final HikariDataSource db = Database.pool(cfg, "aiops-ledger-cli");
        LedgerSchema.migrate(db);
        return db;
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "LLM cost since an age, grouped; live traffic unless --replay names a run.")
    static final class Report implements Callable<Integer> {
        @Mixin
        private ConfigOption config;

        @Option(names = "--since", defaultValue = "7d", description = "Age such as 7d, 12h, 30m. Default: ${DEFAULT-VALUE}.")
        private String since;

        @Option(names = "--by", defaultValue = "model", description = "model, service, team or incident.")
        private String by;

        @Option(names = "--replay", paramLabel = "RUN", description = "Report this replay run instead of live traffic.")
        private String replay;

        @Option(names = "--json", description = "Print one JSON object.")
        private boolean json;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final LedgerQueries.By grouping;
            final Instant from;
            try {
                grouping = LedgerQueries.By.parse(by);
                from = Instant.now().minus(LedgerRoutes.parseAge(since, "since"));
            } catch (final RuntimeException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            final PrintWriter out = spec.commandLine().getOut();
            try (HikariDataSource db = database(config)) {
                final List<LedgerQueries.Line> lines = new LedgerQueries(db).summary(from, grouping, replay);
                if (json) {
                    final Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("since", from.toString());
                    doc.put("by", by);
                    doc.put("rows", lines.stream().map(l -> Map.of("key", l.key(), "calls", l.calls(),
                            "billed_calls", l.billedCalls(), "input_tokens", l.inputTokens(),
                            "output_tokens", l.outputTokens(), "cost_usd", l.costUsd().toPlainString())).toList());
                    out.println(new ObjectMapper().writeValueAsString(doc));
                } else {
                    out.printf(Locale.ROOT, "%-40s %8s %8s %12s %12s %16s%n", by, "calls", "billed", "input", "output",
                            "cost_usd");
                    lines.forEach(l -> out.printf(Locale.ROOT, "%-40s %8d %8d %12d %12d %16s%n", l.key(), l.calls(),
                            l.billedCalls(), l.inputTokens(), l.outputTokens(),
                            l.costUsd().setScale(6, java.math.RoundingMode.HALF_UP).toPlainString()));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "reprice", mixinStandardHelpOptions = true,
            description = "Append correction rows where the price in force now gives a different cost.")
    static final class Reprice implements Callable<Integer> {
        @Mixin
        private ConfigOption config;

        @Option(names = "--since", required = true, description = "Age such as 30d.")
        private String since;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final Instant from;
            try {
                from = Instant.now().minus(LedgerRoutes.parseAge(since, "since"));
            } catch (final RuntimeException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (HikariDataSource db = database(config)) {
                final int n = new LedgerQueries(db).reprice(from);
                spec.commandLine().getOut().printf(Locale.ROOT, "%d correction rows appended%n", n);
            }
            return 0;
        }
    }
}
