package aiops.ingest.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;

/** The correlator's working set for one domain (live traffic, or one replay run): its own buffer, incidents and clock. */
final class CorrelationRun {

    /** {@code null} for live traffic. */
    final String runId;
    final Map<String, IncidentState> open = new LinkedHashMap<>();
    /**
     * Resolved incidents still inside the reopen window. Kept here as well as in the incident store so that each
     * drain looks at them without deserialising the whole store.
     */
    final Map<String, IncidentState> resolved = new LinkedHashMap<>();
    /** The reorder buffer's contents in key (event-time) order; the buffer store is its durable copy. */
    final TreeMap<String, BufferedAlert> pending = new TreeMap<>();
    final Watermarks watermarks;
    long lastInputWallClock;

    CorrelationRun(final String runId, final KeyValueStore<String, Long> meta, final StreamsConfigKeys config,
                   final long now) {
        this.runId = runId;
        this.watermarks = new Watermarks(meta, RunScope.prefix(runId), config.partitionIdle(), config.rawPartitions(), now);
        this.lastInputWallClock = now;
    }

    String storeKey(final String key) {
        return RunScope.key(runId, key);
    }

    boolean isLive() {
        return runId == null;
    }
}
