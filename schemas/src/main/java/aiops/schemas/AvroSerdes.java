package aiops.schemas;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerde;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Serde;

/**
 * Avro serdes backed by Apicurio Registry. The wire format is the Confluent layout (magic byte 0 and a 4-byte
 * schema id), so any Confluent-compatible reader can consume the topics through the registry's ccompat API.
 */
public final class AvroSerdes {

    /** Package of the generated record classes. */
    public static final String GENERATED_PACKAGE = "aiops.avro";

    static {
        trustGeneratedClasses();
    }

    private AvroSerdes() {
    }

    /**
     * Avro 1.12 refuses to instantiate classes it was not told to trust; the generated records are trusted here,
     * and nothing else is added to Avro's defaults.
     */
    public static void trustGeneratedClasses() {
        final ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current instanceof GeneratedClasses) {
            return;
        }
        ClassSecurityValidator.setGlobal(new GeneratedClasses(current));
    }

    private record GeneratedClasses(ClassSecurityValidator.ClassSecurityPredicate fallback)
            implements ClassSecurityValidator.ClassSecurityPredicate {
        @Override
        public boolean isTrusted(final Class<?> type) {
            return GENERATED_PACKAGE.equals(type.getPackageName()) || fallback.isTrusted(type);
        }
    }

    /**
     * Client configuration for the registry at {@code registryUrl}
     * (for example {@code http://127.0.0.1:8081/apis/registry/v3}).
     */
    public static Map<String, Object> registryConfig(final String registryUrl) {
        Objects.requireNonNull(registryUrl, "registryUrl");
        final Map<String, Object> config = new HashMap<>();
        config.put(SchemaResolverConfig.REGISTRY_URL, registryUrl);
        config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, Boolean.TRUE);
        config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "FIND_OR_CREATE_VERSION");
        // Writer schemas are compiled in and ids are immutable: should a cached lookup be re-checked while the registry
        // cannot be reached, keep using what is known rather than fail the write or the read.
        config.put(SchemaResolverConfig.FAULT_TOLERANT_REFRESH, Boolean.TRUE);
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, Boolean.TRUE);
        config.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, SpecificRecordDatumProvider.class.getName());
        return config;
    }

    /**
     * A configured value serde for {@code topic}; the caller closes it. Its registry client is shared with every other
     * serde of the same registry settings in this process (see {@link RegistryClients}); closing the serde leaves the
     * client open.
     */
    public static <V extends SpecificRecord> Serde<V> valueSerde(final TopicSpec<V> topic,
                                                                 final Map<String, Object> registryConfig) {
        if (topic.valueType() == null) {
            throw new IllegalArgumentException(topic.name() + " carries no Avro value");
        }
        final AvroSerde<V> serde = new SharedClientSerde<>(RegistryClients.forConfig(registryConfig));
        serde.configure(registryConfig, false);
        return serde;
    }

    private static final class SharedClientSerde<V> extends AvroSerde<V> {
        SharedClientSerde(final RegistryClientFacade client) {
            super(new AvroKafkaSerializer<>(client), new AvroKafkaDeserializer<>(client));
        }
    }
}
