package aiops.ledger;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Keys of the ledger writer. */
public record LedgerSettings(String groupId, int maxBatch, Duration budgetInterval) {

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("ledger.group.id",
            "Consumer group of the ledger writer (its offsets live in the ledger database).").defaultValue("aiops-ledger");
    public static final ConfigKey<Integer> MAX_BATCH = ConfigKey.integer("ledger.max.batch",
            "Most usage records written in one database transaction.").defaultValue("5000").range(1, 100_000);
    public static final ConfigKey<Integer> BUDGET_INTERVAL_SECONDS = ConfigKey.integer("ledger.budget.interval.seconds",
            "Budgets are evaluated after every batch and at least this often.").defaultValue("30").range(1, 86_400);

    public static final List<ConfigKey<?>> ALL = List.of(GROUP_ID, MAX_BATCH, BUDGET_INTERVAL_SECONDS);

    public static LedgerSettings from(final AiopsConfig config) {
        return new LedgerSettings(config.get(GROUP_ID), config.get(MAX_BATCH),
                Duration.ofSeconds(config.get(BUDGET_INTERVAL_SECONDS)));
    }

    public static LedgerSettings defaults() {
        return new LedgerSettings("aiops-ledger", 5000, Duration.ofSeconds(30));
    }
}
