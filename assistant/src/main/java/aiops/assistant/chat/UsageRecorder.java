package aiops.assistant.chat;

import aiops.analyzer.llm.LlmSettings;
import aiops.avro.LlmUsage;
import aiops.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Every billed assistant call onto {@code aiops.llm.usage} (purpose {@code assistant}), for the ledger to append. */
final class UsageRecorder {

    private final Producer<String, LlmUsage> producer;
    private final LlmSettings settings;

    UsageRecorder(final Producer<String, LlmUsage> producer, final LlmSettings settings) {
        this.producer = producer;
        this.settings = settings;
    }

    /** Sends and waits for the broker's acknowledgement, so an answered question's cost is never lost. */
    void record(final String queryId, final String provider, final List<MeteredChatModel.Call> calls,
                final String traceParent) throws Exception {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            final MeteredChatModel.Call c = calls.get(i);
            final var cost = settings.estimate(c.model(), c.inputTokens(), c.outputTokens());
            final LlmUsage usage = LlmUsage.newBuilder().setUsageId(queryId + "-" + i)
                    .setOccurredAt(Instant.ofEpochMilli(c.at())).setIncidentId(null).setAnalysisId(null)
                    .setService(null).setTeam(null).setProvider(provider).setModel(c.model()).setPurpose("assistant")
                    .setInputTokens(c.inputTokens()).setOutputTokens(c.outputTokens()).setCachedInputTokens(0)
                    .setLatencyMs(c.latencyMs()).setOutcome("ok").setCached(false).setEstimated(c.estimated())
                    .setCostUsd(cost).setReplayRunId(null).setTraceParent(traceParent).build();
            sent.add(producer.send(new ProducerRecord<>(Topics.LLM_USAGE.name(), usage.getUsageId(), usage)));
        }
        for (final Future<RecordMetadata> f : sent) {
            f.get(15, TimeUnit.SECONDS);
        }
    }
}
