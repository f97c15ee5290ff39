package aiops.app.cli;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.TopicAdmin;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops topics list|create}: the topic catalogue, and creating it on a cluster. */
@Command(name = "topics", description = "The topic catalogue.", mixinStandardHelpOptions = true,
        subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.CreateTopics.class})
public final class TopicsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the catalogue.")
    static final class ListTopics implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            final PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-24s %-10s %-8s %-10s %s%n", "TOPIC", "PARTITIONS", "CLEANUP", "RETENTION", "VALUE");
            for (final TopicSpec<?> t : Topics.ALL) {
                out.printf(Locale.ROOT, "%-24s %-10d %-8s %-10s %s%n", t.name(), t.partitions(),
                        t.cleanupPolicy().brokerValue(), t.retention() == null ? "forever" : t.retention().toDays() + "d",
                        t.valueType() == null ? "bytes" : t.valueType().getSimpleName());
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create every catalogue topic missing on the cluster at AIOPS_KAFKA_BOOTSTRAP_SERVERS.")
    static final class CreateTopics implements Callable<Integer> {
        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            final AiopsConfig cfg = config.load();
            final Map<String, Object> props = new HashMap<>(cfg.passThrough("kafka."));
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cfg.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
            try (Admin admin = Admin.create(props)) {
                final TopicAdmin.Result result = TopicAdmin.ensureTopics(admin, Topics.ALL,
                        cfg.get(CoreConfig.TOPIC_REPLICATION_FACTOR));
                result.created().forEach(t -> spec.commandLine().getOut().println("created " + t));
                result.existing().forEach(t -> spec.commandLine().getOut().println("exists  " + t));
                spec.commandLine().getOut().printf(Locale.ROOT, "%d topics (%d created)%n", result.total(),
                        result.created().size());
            }
            return 0;
        }
    }
}
