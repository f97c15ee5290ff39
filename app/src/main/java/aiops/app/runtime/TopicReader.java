package aiops.app.runtime;

import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Every committed record on a topic right now (see {@link TopicSnapshot}). */
public final class TopicReader {

    private TopicReader() {
    }

    public static <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAll(final KafkaSettings kafka,
                                                                                    final TopicSpec<V> topic) {
        final List<ConsumerRecord<String, V>> out = new ArrayList<>();
        TopicSnapshot.forEach(kafka, topic, Duration.ofSeconds(60), out::add);
        return out;
    }

    public static <V extends SpecificRecord> List<V> values(final KafkaSettings kafka, final TopicSpec<V> topic) {
        return TopicSnapshot.values(kafka, topic);
    }
}
