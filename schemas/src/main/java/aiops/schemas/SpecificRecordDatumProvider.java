package aiops.schemas;

import io.apicurio.registry.serde.avro.AvroDatumProvider;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's default provider fingerprints the schema of every record it writes to find its cached writer, which
 * costs more than writing the record. Generated records carry their class's own schema instance, so their writer is
 * cached per class here; everything else goes to the default provider.
 */
public final class SpecificRecordDatumProvider<T> implements AvroDatumProvider<T> {

    private final DefaultAvroDatumProvider<T> fallback = new DefaultAvroDatumProvider<>();
    private final ConcurrentMap<Class<?>, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    /** Readers by writer-schema instance: the registry client hands out one instance per schema id. */
    private final Map<Schema, DatumReader<T>> readers = Collections.synchronizedMap(new IdentityHashMap<>());

    @Override
    public void configure(final AvroSerdeConfig config) {
        fallback.configure(config);
    }

    @Override
    public DatumWriter<T> createDatumWriter(final T data, final Schema schema) {
        if (data instanceof SpecificRecord record && record.getSchema() == schema) {
            return writers.computeIfAbsent(data.getClass(), c -> new SpecificDatumWriter<>(schema));
        }
        return fallback.createDatumWriter(data, schema);
    }

    @Override
    public DatumReader<T> createDatumReader(final Schema schema) {
        return readers.computeIfAbsent(schema, fallback::createDatumReader);
    }

    @Override
    public Schema toSchema(final T data) {
        return fallback.toSchema(data);
    }
}
