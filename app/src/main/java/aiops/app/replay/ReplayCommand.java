package aiops.app.replay;

import aiops.app.cli.ConfigOption;
import aiops.app.runtime.Pipeline;
import aiops.app.runtime.RemediatorProgress;
import aiops.avro.ReplayRun;
import aiops.avro.ServiceEntry;
import aiops.common.config.AiopsConfig;
import aiops.common.http.Metrics;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.ingest.publish.SignalPublisher;
import aiops.ingest.replay.ReplayRuns;
import aiops.ingest.replay.ReplaySpeed;
import aiops.ingest.replay.ReplayStep;
import aiops.ingest.replay.ReplayTimeline;
import aiops.ingest.replay.Replayer;
import aiops.ingest.replay.RunIds;
import aiops.ingest.replay.TopicArchive;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import aiops.ingest.streams.CatalogLoader;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.remediator.RemediatorSettings;
import aiops.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aiops replay}: historical signals through the same normalisers as the receivers, onto the raw topics, as
 * replay runs that the pipeline keeps apart from live traffic and never lets act or notify unless allowed.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay scenario files or archived raw signals as a new run; the last line is its summary.",
        subcommands = {ReplayListCommand.class, ReplayDiffCommand.class})
public final class ReplayCommand implements Callable<Integer> {

    private static final Duration CATALOG_PROPAGATION = Duration.ofSeconds(6);

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "A scenario folder or a folder of scenarios.")
    private Path source;

    @Option(names = "--from-topics", description = "Replay the live signals archived on the raw topics instead.")
    private boolean fromTopics;

    @Option(names = "--since", paramLabel = "INSTANT", description = "With --from-topics: start (RFC 3339, or an age such as 2h).")
    private String since;

    @Option(names = "--until", paramLabel = "INSTANT", description = "With --from-topics: end (RFC 3339, or an age). Default: now.")
    private String until;

    @Option(names = "--speed", defaultValue = "max", description = "max, or N to compress time N-fold. Default: ${DEFAULT-VALUE}.")
    private String speed;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (a folder's scenarios become ID.<scenario>). Default: generated.")
    private String runId;

    @Option(names = "--allow-side-effects",
            description = "Let the remediator act and notify for this run as for live traffic (policy still applies).")
    private boolean allowSideEffects;

    @Option(names = "--no-catalog", description = "Do not add the scenarios' catalog entries for services the running catalog lacks.")
    private boolean noCatalog;

    @Option(names = "--wait", defaultValue = "180", paramLabel = "SECONDS",
            description = "How long to wait for the pipeline's incidents and analyses of the run. Default: ${DEFAULT-VALUE}.")
    private int waitSeconds;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    private boolean json;

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final ReplaySpeed pace;
        final String base;
        try {
            pace = ReplaySpeed.parse(speed);
            base = runId == null ? RunIds.generate(Instant.now()) : RunIds.validate(runId);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (fromTopics == (source != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a SCENARIO folder or --from-topics, not both");
        }
        if (!fromTopics && (since != null || until != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--since and --until go with --from-topics");
        }
        final AiopsConfig cfg = config.load();
        final boolean embedded = !ReplayTarget.external(cfg);
        if (embedded) {
            cfg.require(Pipeline.KEYS);
        }
        final List<Scenario> scenarios = fromTopics ? List.of() : new ScenarioReader().readAll(source);
        final Map<String, String> runs = runIds(base, scenarios);
        final PrintWriter out = spec.commandLine().getOut();
        try (ReplayTarget target = ReplayTarget.open(cfg)) {
            final KafkaSettings kafka = target.kafka();
            final List<ReplayStep> steps;
            final String origin;
            if (fromTopics) {
                final Instant now = Instant.now();
                final Instant from = instant("--since", since, now);
                final Instant to = until == null ? now : instant("--until", until, now);
                steps = TopicArchive.read(kafka, from, to, base);
                origin = "topics:" + from + ".." + to;
            } else {
                steps = ReplayTimeline.of(scenarios, runs);
                origin = source.toString();
                if (!noCatalog) {
                    final int added = addMissingCatalogEntries(kafka, scenarios);
                    if (added > 0 && !json) {
                        out.println("catalog: " + added + " services added from the scenarios (known ones left as they are)");
                    }
                    if (added > 0 && !embedded) {
                        // A running correlator re-reads the catalogue every few seconds; let it see the new services.
                        Thread.sleep(CATALOG_PROPAGATION.toMillis());
                    }
                }
            }
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-replay");
            final Pipeline pipeline = embedded ? Pipeline.start(target.runtime(), cfg,
                    permissions(cfg, runs.values()), metrics) : null;
            try {
                final Replayer.Result result = feed(kafka, steps, pace, origin, runs.values());
                final Duration quiet = StreamsConfigKeys.defaults().idleFlush().plusSeconds(2);
                final Map<String, RunResults> results = RunSettle.await(kafka, runs::containsValue, quiet,
                        Duration.ofSeconds(waitSeconds));
                if (embedded) {
                    RemediatorProgress.awaitSettled(target.runtime(), results.values().stream()
                            .flatMap(r -> r.analyses().values().stream()).toList(), Duration.ofSeconds(60));
                }
                new ReplaySummary(base, runs.size(), result, results).print(out, json);
                return result.rejected().isEmpty() ? 0 : aiops.app.cli.AiopsCommand.EXIT_FAILURE;
            } finally {
                if (pipeline != null) {
                    pipeline.close();
                }
                metrics.close();
            }
        }
    }

    private Replayer.Result feed(final KafkaSettings kafka, final List<ReplayStep> steps, final ReplaySpeed pace,
                                 final String origin, final java.util.Collection<String> runs) throws Exception {
        final Instant started = Instant.now();
        final List<ReplayRun> records = new ArrayList<>();
        try (ReplayRuns registry = new ReplayRuns(kafka);
             SignalPublisher publisher = new SignalPublisher(kafka, "aiops-replay", Duration.ofSeconds(30))) {
            for (final String run : runs) {
                final ReplayRun record = ReplayRuns.started(run, origin, pace, allowSideEffects, started);
                registry.put(record);
                records.add(record);
            }
            Replayer.Result result = null;
            String error = null;
            try {
                result = new Replayer(publisher).replay(steps, pace,
                        new ReplayProgress(System.err, System.console() != null));
                return result;
            } catch (final RuntimeException e) {
                error = e.getMessage();
                throw e;
            } finally {
                for (final ReplayRun record : records) {
                    final String run = record.getRunId();
                    final long signals = steps.stream().filter(s -> s.runId().equals(run)).count();
                    registry.put(ReplayRuns.finished(record, signals, result == null ? 0 : result.records(), error,
                            Instant.now()));
                }
            }
        }
    }

    /** One run per scenario when there are several, so they never correlate with each other. */
    private static Map<String, String> runIds(final String base, final List<Scenario> scenarios) {
        final Map<String, String> runs = new LinkedHashMap<>();
        if (scenarios.size() <= 1) {
            runs.put(scenarios.isEmpty() ? "" : scenarios.get(0).name(), base);
        } else {
            scenarios.forEach(s -> runs.put(s.name(), RunIds.child(base, s.name())));
        }
        return runs;
    }

    private RemediatorSettings permissions(final AiopsConfig cfg, final java.util.Collection<String> runs) {
        final RemediatorSettings settings = RemediatorSettings.from(cfg);
        if (!allowSideEffects) {
            return settings;
        }
        final Set<String> allowed = new java.util.HashSet<>(settings.replaySideEffects());
        allowed.addAll(runs);
        return settings.withReplaySideEffects(allowed);
    }

    private Instant instant(final String option, final String text, final Instant now) {
        if (text == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " is required with --from-topics");
        }
        try {
            return Instant.parse(text);
        } catch (final java.time.format.DateTimeParseException notAnInstant) {
            try {
                return now.minus(aiops.ledger.LedgerRoutes.parseAge(text, option));
            } catch (final RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        option + " '" + text + "' is neither an RFC 3339 instant nor an age such as 2h");
            }
        }
    }

    /** Entries of the scenarios' catalogs for services the running catalog does not have. */
    private static int addMissingCatalogEntries(final KafkaSettings kafka, final List<Scenario> scenarios)
            throws Exception {
        final Set<String> known = TopicSnapshot.values(kafka, Topics.CATALOG).stream().map(ServiceEntry::getName)
                .collect(Collectors.toSet());
        final Map<String, ServiceEntry> missing = new LinkedHashMap<>();
        for (final Scenario s : scenarios) {
            if (s.catalog().isEmpty()) {
                continue;
            }
            try (InputStream in = Files.newInputStream(s.catalog().get())) {
                for (final ServiceEntry e : CatalogLoader.parse(in, s.catalog().get().toString())) {
                    if (!known.contains(e.getName())) {
                        missing.putIfAbsent(e.getName(), e);
                    }
                }
            }
        }
        return missing.isEmpty() ? 0 : CatalogLoader.publish(kafka, List.copyOf(missing.values()));
    }
}
