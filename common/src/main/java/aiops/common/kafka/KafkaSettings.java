package aiops.common.kafka;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.schemas.AvroSerdes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How to reach Kafka and the schema registry, and the client defaults that carry the pipeline's guarantees:
 * producers wait for all in-sync replicas and are idempotent, consumers read only committed data and commit
 * offsets themselves, Streams runs exactly-once.
 *
 * @param clientOverrides extra Kafka client settings (security, SASL), applied last
 */
public record KafkaSettings(String bootstrapServers, String registryUrl, Map<String, String> clientOverrides) {

    /** Overrides with this prefix configure the schema registry client (auth, TLS, cache periods). */
    public static final String REGISTRY_CLIENT_PREFIX = "apicurio.registry.";

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        clientOverrides = Map.copyOf(clientOverrides);
    }

    public static KafkaSettings from(final AiopsConfig config) {
        return new KafkaSettings(config.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS), config.get(CoreConfig.REGISTRY_URL),
                config.passThrough("kafka."));
    }

    /** The schema registry client's settings; {@code apicurio.registry.*} entries of the overrides apply last. */
    public Map<String, Object> registryConfig() {
        final Map<String, Object> config = AvroSerdes.registryConfig(registryUrl);
        clientOverrides.forEach((key, value) -> {
            if (key.startsWith(REGISTRY_CLIENT_PREFIX)) {
                config.put(key, value);
            }
        });
        return config;
    }

    /** Admin client settings. */
    public Map<String, Object> adminProps() {
        final Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(kafkaOverrides());
        return props;
    }

    /**
     * The overrides meant for Kafka clients. Serdes are built from {@link #registryConfig()} and handed to the clients
     * ready-made, so registry settings in client properties would only be warned about as unknown.
     */
    private Map<String, String> kafkaOverrides() {
        final Map<String, String> kafka = new HashMap<>();
        clientOverrides.forEach((key, value) -> {
            if (!key.startsWith(REGISTRY_CLIENT_PREFIX)) {
                kafka.put(key, value);
            }
        });
        return kafka;
    }

    /** Producer that acknowledges only after every in-sync replica has the record, without duplicates on retry. */
    public Map<String, Object> producerProps(final String clientId) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putAll(kafkaOverrides());
        return props;
    }

    /** Consumer that sees only committed records and never commits behind the caller's back. */
    public Map<String, Object> consumerProps(final String groupId) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(kafkaOverrides());
        return props;
    }

    /** Kafka Streams with exactly-once processing; state under {@code stateDir}. */
    public Map<String, Object> streamsProps(final String applicationId, final Path stateDir) {
        final Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(kafkaOverrides());
        return props;
    }
}
