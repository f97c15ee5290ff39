package aiops.remediator;

import aiops.avro.ActionType;
import aiops.avro.Analysis;
import aiops.avro.Forecast;
import aiops.avro.Incident;
import aiops.avro.NotificationEvent;
import aiops.avro.RemediationProposal;
import aiops.avro.ServiceEntry;
import aiops.common.kafka.CompactedTopicView;
import aiops.common.kafka.DbOffsetConsumer;
import aiops.common.kafka.KafkaSettings;
import aiops.remediator.api.RemediationRoutes;
import aiops.remediator.execute.ActionExecutor;
import aiops.remediator.execute.ExecutionLoop;
import aiops.remediator.execute.KubernetesActions;
import aiops.remediator.execute.WebhookActions;
import aiops.remediator.notify.Channel;
import aiops.remediator.notify.Channels;
import aiops.remediator.notify.DeliveryWorkers;
import aiops.remediator.notify.NotificationDesk;
import aiops.remediator.notify.NotifyConfig;
import aiops.remediator.plan.ActionPlanner;
import aiops.remediator.plan.AnalysisIntake;
import aiops.remediator.plan.BudgetNoticeIntake;
import aiops.remediator.plan.CapacityIntake;
import aiops.remediator.plan.IncidentIntake;
import aiops.remediator.plan.ProposalIntake;
import aiops.remediator.store.OutboxPublisher;
import aiops.remediator.store.RemediatorSchema;
import aiops.schemas.Topics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The remediator process: analyses, capacity forecasts' replica targets and people's proposals become judged actions, approved actions are executed and verified, and every
 * incident state change becomes notifications. State lives in PostgreSQL; consumer offsets are committed in the same
 * transactions, and records for Kafka leave through the outbox.
 */
public final class Remediator implements AutoCloseable {

    private static final int MAX_BATCH = 500;

    private final CompactedTopicView<ServiceEntry> catalog;
    private final CompactedTopicView<aiops.avro.ReplayRun> replays;
    private final OutboxPublisher outbox;
    private final DbOffsetConsumer<Incident> incidents;
    private final DbOffsetConsumer<Analysis> analyses;
    private final DbOffsetConsumer<NotificationEvent> notices;
    private final DbOffsetConsumer<Forecast> forecasts;
    private final DbOffsetConsumer<RemediationProposal> proposals;
    private final ExecutionLoop executor;
    private final DeliveryWorkers deliveries;
    private final RemediationRoutes routes;
    private final Map<String, KubernetesClient> clients;

    private Remediator(final Parts p) {
        this.catalog = p.catalog;
        this.replays = p.replays;
        this.outbox = p.outbox;
        this.incidents = p.incidents;
        this.analyses = p.analyses;
        this.notices = p.notices;
        this.forecasts = p.forecasts;
        this.proposals = p.proposals;
        this.executor = p.executor;
        this.deliveries = p.deliveries;
        this.routes = p.routes;
        this.clients = p.clients;
    }

    private static final class Parts {
        CompactedTopicView<ServiceEntry> catalog;
        CompactedTopicView<aiops.avro.ReplayRun> replays;
        OutboxPublisher outbox;
        DbOffsetConsumer<Incident> incidents;
        DbOffsetConsumer<Analysis> analyses;
        DbOffsetConsumer<NotificationEvent> notices;
        DbOffsetConsumer<Forecast> forecasts;
        DbOffsetConsumer<RemediationProposal> proposals;
        ExecutionLoop executor;
        DeliveryWorkers deliveries;
        RemediationRoutes routes;
        Map<String, KubernetesClient> clients;
    }

    /** Starts with Kubernetes clients from the environment (kubeconfig or in-cluster), created on first use. */
    public static Remediator start(final KafkaSettings kafka, final DataSource db, final RemediatorSettings settings)
            throws InterruptedException {
        final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
        return start(kafka, db, settings, context -> clients.computeIfAbsent(context == null ? "" : context,
                c -> new KubernetesClientBuilder().withConfig(Config.autoConfigure(c.isEmpty() ? null : c)).build()),
                a -> { }, clients);
    }

    /** Starts with the given clients (tests) and a hook run right after each apply (fault tests). */
    public static Remediator start(final KafkaSettings kafka, final DataSource db, final RemediatorSettings settings,
                                   final Function<String, KubernetesClient> kubernetes,
                                   final ExecutionLoop.AfterApply afterApply) throws InterruptedException {
        return start(kafka, db, settings, kubernetes, afterApply, Map.of());
    }

    private static Remediator start(final KafkaSettings kafka, final DataSource db, final RemediatorSettings configured,
                                    final Function<String, KubernetesClient> kubernetes,
                                    final ExecutionLoop.AfterApply afterApply,
                                    final Map<String, KubernetesClient> owned) throws InterruptedException {
        RemediatorSchema.migrate(db);
        final Parts p = new Parts();
        p.clients = owned;
        p.catalog = CompactedTopicView.start(kafka, Topics.CATALOG);
        // Runs started with --allow-side-effects say so on their run record; until it has been read, a run is dry-run.
        final Set<String> granted = ConcurrentHashMap.newKeySet();
        granted.addAll(configured.replaySideEffects());
        p.replays = CompactedTopicView.start(kafka, Topics.REPLAYS, (run, record) -> {
            if (record != null && record.getAllowSideEffects()) {
                granted.add(run);
            } else if (!configured.replaySideEffects().contains(run)) {
                granted.remove(run);
            }
        });
        if (!p.catalog.awaitCaughtUp(Duration.ofSeconds(60)) || !p.replays.awaitCaughtUp(Duration.ofSeconds(60))) {
            p.catalog.close();
            p.replays.close();
            throw new IllegalStateException("could not read " + Topics.CATALOG.name() + " and " + Topics.REPLAYS.name()
                    + " within 60 s");
        }
        final RemediatorSettings settings = configured.withReplaySideEffects(granted);
        final NotifyConfig notify = notifyConfig(settings);
        final Map<String, Channel> channels = Channels.from(notify);
        final NotificationDesk desk = new NotificationDesk(notify, channels, settings::sideEffectsAllowed);
        final ActionJournal journal = new ActionJournal(desk, owners(p.catalog));
        final ActionPlanner planner = new ActionPlanner(settings);
        final Function<String, ServiceEntry> lookup = name -> p.catalog.get(name).orElse(null);

        p.outbox = new OutboxPublisher(kafka, db, settings.groupId() + "-outbox").start();
        final String group = settings.groupId();
        p.incidents = new DbOffsetConsumer<>(kafka, Topics.INCIDENTS, group + "-incidents", "remediator", db, MAX_BATCH,
                new IncidentIntake(journal)::write, b -> { }).start();
        p.analyses = new DbOffsetConsumer<>(kafka, Topics.ANALYSES, group + "-analyses", "remediator", db, MAX_BATCH,
                new AnalysisIntake(planner, journal, lookup)::write, b -> { }).start();
        p.notices = new DbOffsetConsumer<>(kafka, Topics.NOTIFICATIONS, group + "-notices", "remediator", db, MAX_BATCH,
                new BudgetNoticeIntake(desk)::write, b -> { }).start();
        p.forecasts = new DbOffsetConsumer<>(kafka, Topics.FORECASTS, group + "-forecasts", "remediator", db, MAX_BATCH,
                new CapacityIntake(planner, journal, lookup)::write, b -> { }).start();
        p.proposals = new DbOffsetConsumer<>(kafka, Topics.PROPOSALS, group + "-proposals", "remediator", db, MAX_BATCH,
                new ProposalIntake(planner, journal, lookup)::write, b -> { }).start();
        final Map<ActionType, ActionExecutor> executors = new EnumMap<>(ActionType.class);
        final KubernetesActions k8s = new KubernetesActions(kubernetes);
        for (final ActionType t : Set.of(ActionType.RESTART_DEPLOYMENT, ActionType.SCALE_DEPLOYMENT,
                ActionType.ROLLBACK_DEPLOYMENT, ActionType.DELETE_POD)) {
            executors.put(t, k8s);
        }
        executors.put(ActionType.WEBHOOK, new WebhookActions(settings.webhookUrls(), settings.webhookSecret()));
        p.executor = new ExecutionLoop(db, settings, journal, executors, afterApply).start();
        p.deliveries = new DeliveryWorkers(db, channels, settings.notifyMaxAttempts()).start();
        p.routes = new RemediationRoutes(db, new Approvals(db, planner.engine(), journal));
        return new Remediator(p);
    }

    private static NotifyConfig notifyConfig(final RemediatorSettings settings) {
        if (settings.notifyFile() == null) {
            return NotifyConfig.logOnly();
        }
        try {
            return NotifyConfig.parse(Files.readString(settings.notifyFile()), settings.notifyFile().toString(),
                    System::getenv);
        } catch (final IOException | NotifyConfig.InvalidNotifyConfigException e) {
            throw new aiops.common.config.ConfigException(RemediatorSettings.NOTIFY_FILE, e.getMessage());
        }
    }

    /** Teams and owners of services, from the catalogue, for routing. */
    private static Function<Collection<String>, Set<String>> owners(final CompactedTopicView<ServiceEntry> catalog) {
        return services -> {
            final Set<String> out = new LinkedHashSet<>();
            for (final String s : services) {
                catalog.get(s).ifPresent(e -> {
                    if (e.getTeam() != null) {
                        out.add(e.getTeam());
                    }
                    if (e.getOwner() != null) {
                        out.add(e.getOwner());
                    }
                });
            }
            return out;
        };
    }

    public void register(final RoutesConfig r) {
        routes.register(r);
    }

    public boolean isHealthy() {
        return outbox.isHealthy() && incidents.isHealthy() && analyses.isHealthy() && notices.isHealthy()
                && forecasts.isHealthy() && proposals.isHealthy()
                && executor.isRunning() && deliveries.isRunning();
    }

    /** Records sent to Kafka through the outbox. */
    public long published() {
        return outbox.published();
    }

    /** Stops at once, as a crash would: nothing further is consumed, executed, delivered or published. */
    public void kill() throws InterruptedException {
        analyses.kill();
        incidents.kill();
        notices.kill();
        forecasts.kill();
        proposals.kill();
        executor.close();
        deliveries.close();
        outbox.kill();
        catalog.close();
        replays.close();
    }

    @Override
    public void close() throws InterruptedException {
        analyses.close();
        incidents.close();
        notices.close();
        forecasts.close();
        proposals.close();
        executor.close();
        deliveries.close();
        outbox.close();
        catalog.close();
        replays.close();
        clients.values().forEach(KubernetesClient::close);
    }
}
