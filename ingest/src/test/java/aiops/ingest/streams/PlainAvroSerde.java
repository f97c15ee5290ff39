package aiops.ingest.streams;

import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Avro binary without a registry, for TopologyTestDriver tests: the topology code is the same, only the serde differs. */
final class PlainAvroSerde<V extends SpecificRecord> implements Serde<V> {

    static final TopologySerdes SERDES = new TopologySerdes() {
        @Override
        public <V extends SpecificRecord> Serde<V> value(final TopicSpec<V> topic) {
            return new PlainAvroSerde<>(topic.valueType());
        }
    };

    private final Class<V> type;

    PlainAvroSerde(final Class<V> type) {
        AvroSerdes.trustGeneratedClasses();
        this.type = type;
    }

    @Override
    public Serializer<V> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                new SpecificDatumWriter<>(type).write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new SerializationException(e);
            }
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<V> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a " + type.getSimpleName(), e);
            }
        };
    }
}
