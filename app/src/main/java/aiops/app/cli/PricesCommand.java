package aiops.app.cli;

import aiops.ledger.LedgerQueries;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aiops prices list|set}: the versioned model price table of the ledger. */
@Command(name = "prices", mixinStandardHelpOptions = true, description = "LLM model prices (USD per million tokens).",
        subcommands = {PricesCommand.ListPrices.class, PricesCommand.SetPrice.class})
public final class PricesCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every price row, oldest first per model.")
    static final class ListPrices implements Callable<Integer> {
        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            try (HikariDataSource db = LedgerCommand.database(config)) {
                out.printf(Locale.ROOT, "%-10s %-30s %10s %10s %10s  %s%n", "provider", "model", "input", "output",
                        "cached", "effective_from");
                for (final LedgerQueries.Price p : new LedgerQueries(db).prices()) {
                    out.printf(Locale.ROOT, "%-10s %-30s %10s %10s %10s  %s%n", p.provider(), p.model(), plain(p.input()),
                            plain(p.output()), p.cachedInput() == null ? "-" : plain(p.cachedInput()), p.effectiveFrom());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Append a price for a model (rows already written keep their price until `ledger reprice`).")
    static final class SetPrice implements Callable<Integer> {
        @Mixin
        private ConfigOption config;

        @Parameters(index = "0", paramLabel = "PROVIDER:MODEL")
        private String model;

        @Option(names = "--input", required = true, description = "USD per million input tokens.")
        private BigDecimal input;

        @Option(names = "--output", required = true, description = "USD per million output tokens.")
        private BigDecimal output;

        @Option(names = "--cached-input", description = "USD per million cached input tokens (default: the input price).")
        private BigDecimal cachedInput;

        @Option(names = "--effective-from", description = "RFC 3339 instant; default now.")
        private Instant effectiveFrom;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final int colon = model.indexOf(':');
            if (colon <= 0 || colon == model.length() - 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected PROVIDER:MODEL, got " + model);
            }
            if (input.signum() < 0 || output.signum() < 0 || (cachedInput != null && cachedInput.signum() < 0)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "prices cannot be negative");
            }
            try (HikariDataSource db = LedgerCommand.database(config)) {
                new LedgerQueries(db).setPrice(model.substring(0, colon), model.substring(colon + 1), input, output,
                        cachedInput, effectiveFrom == null ? Instant.now() : effectiveFrom);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "price of %s set%n", model);
            return 0;
        }
    }

    private static String plain(final BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
