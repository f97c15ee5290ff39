package aiops.app.cli;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import aiops.common.config.CoreConfig;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ledger.LedgerSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aiops config check}: validates configuration without starting anything. */
@Command(name = "config", description = "Inspect configuration.", mixinStandardHelpOptions = true,
        subcommands = ConfigCommand.Check.class)
public final class ConfigCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What a configuration is checked for. */
    enum Role {
        /** The embedded all-in-one mode (demo, run). */
        EMBEDDED(concat(CoreConfig.EMBEDDED_KEYS, StreamsConfigKeys.ALL, AnalyzerConfig.ALL, LedgerSettings.ALL,
                aiops.remediator.RemediatorSettings.ALL)),
        /** A processor against external Kafka, registry and PostgreSQL. */
        PROCESSOR(concat(CoreConfig.PROCESSOR_KEYS, StreamsConfigKeys.ALL, AnalyzerConfig.ALL, LedgerSettings.ALL,
                aiops.remediator.RemediatorSettings.ALL));

        final List<ConfigKey<?>> keys;

        Role(final List<ConfigKey<?>> keys) {
            this.keys = keys;
        }

        @SafeVarargs
        private static List<ConfigKey<?>> concat(final List<ConfigKey<?>>... lists) {
            final List<ConfigKey<?>> all = new java.util.ArrayList<>();
            for (final List<ConfigKey<?>> list : lists) {
                list.stream().filter(k -> !all.contains(k)).forEach(all::add);
            }
            return List.copyOf(all);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate every setting; exit 2 naming each bad key. Secrets are masked.")
    static final class Check implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Option(names = "--for", defaultValue = "embedded", paramLabel = "ROLE",
                description = "embedded (demo, run) or processor (a processor against external services). Default: ${DEFAULT-VALUE}.")
        private Role role;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            final AiopsConfig cfg = config.load();
            final PrintWriter out = spec.commandLine().getOut();
            for (final ConfigKey<?> key : role.keys) {
                final String value = cfg.raw(key).map(v -> key.isSecret() ? "****" : v).orElse("(unset)");
                out.printf(Locale.ROOT, "%-34s %s%n", key.envName(), value);
            }
            final List<String> problems = new java.util.ArrayList<>(cfg.check(role.keys));
            if (problems.isEmpty()) {
                try {
                    LlmSettings.from(cfg); // a model list naming a provider whose key is missing
                    aiops.remediator.RemediatorSettings.from(cfg); // the policy file, parsed with its line numbers
                } catch (final aiops.common.config.ConfigException e) {
                    problems.add(e.getMessage());
                }
            }
            problems.forEach(p -> spec.commandLine().getErr().println("error: " + p));
            if (problems.isEmpty()) {
                out.println("configuration ok for " + role.name().toLowerCase(Locale.ROOT));
                return 0;
            }
            return AiopsCommand.EXIT_CONFIG;
        }
    }
}
