package aiops.ingest.streams;

import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Where the topology gets its value serdes: the registry in production, plain Avro in topology tests. */
@FunctionalInterface
public interface TopologySerdes {

    <V extends SpecificRecord> Serde<V> value(TopicSpec<V> topic);

    static TopologySerdes registry(final Map<String, Object> registryConfig) {
        return new TopologySerdes() {
            @Override
            public <V extends SpecificRecord> Serde<V> value(final TopicSpec<V> topic) {
                return AvroSerdes.valueSerde(topic, registryConfig);
            }
        };
    }
}
