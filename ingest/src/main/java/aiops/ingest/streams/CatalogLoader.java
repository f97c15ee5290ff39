package aiops.ingest.streams;

import aiops.avro.KubernetesTarget;
import aiops.avro.ServiceCapacity;
import aiops.avro.ServiceEntry;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads {@code catalog.yaml} (the scenario format) and writes one {@link ServiceEntry} per service to the catalogue. */
public final class CatalogLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CatalogLoader() {
    }

    /**
     * @param origin names the file in error messages
     * @throws CatalogException naming the entry and field that is wrong
     */
    public static List<ServiceEntry> parse(final InputStream yaml, final String origin) throws IOException {
        final JsonNode root = YAML.readTree(yaml);
        final JsonNode services = root == null ? null : root.get("services");
        if (services == null || !services.isArray()) {
            throw new CatalogException(origin + ": 'services' must be a list");
        }
        final List<ServiceEntry> out = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final Instant now = Instant.now();
        for (int i = 0; i < services.size(); i++) {
            final JsonNode s = services.get(i);
            final String where = origin + ": services[" + i + "]";
            final String name = s.path("name").asText("");
            if (name.isBlank()) {
                throw new CatalogException(where + ".name is required");
            }
            if (!names.add(name)) {
                throw new CatalogException(where + ".name '" + name + "' appears twice");
            }
            final JsonNode tier = s.path("tier");
            if (!tier.isMissingNode() && (!tier.canConvertToInt() || tier.asInt() < 1)) {
                throw new CatalogException(where + ".tier must be a whole number >= 1");
            }
            final List<String> dependsOn = new ArrayList<>();
            s.path("depends_on").forEach(d -> dependsOn.add(d.asText()));
            final JsonNode k8s = s.path("kubernetes");
            KubernetesTarget target = null;
            if (k8s.isObject()) {
                if (k8s.path("namespace").asText("").isBlank() || k8s.path("deployment").asText("").isBlank()) {
                    throw new CatalogException(where + ".kubernetes needs namespace and deployment");
                }
                target = new KubernetesTarget(k8s.get("namespace").asText(), k8s.get("deployment").asText(),
                        text(k8s, "container"), text(k8s, "context"));
            }
            final Map<String, String> labels = new TreeMap<>();
            s.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(ServiceEntry.newBuilder().setName(name).setOwner(text(s, "owner")).setTeam(text(s, "team"))
                    .setTier(tier.isMissingNode() ? 3 : tier.asInt()).setRunbook(text(s, "runbook"))
                    .setDependsOn(dependsOn).setKubernetes(target).setLabels(labels).setUpdatedAt(now)
                    .setCapacity(capacity(s.path("capacity"), where + ".capacity")).build());
        }
        return out;
    }

    /** Writes the entries, keyed by service name, and waits for Kafka to acknowledge them. */
    public static int publish(final KafkaSettings kafka, final List<ServiceEntry> entries)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Serde<ServiceEntry> serde = AvroSerdes.valueSerde(Topics.CATALOG, kafka.registryConfig());
             KafkaProducer<String, ServiceEntry> producer = new KafkaProducer<>(kafka.producerProps("aiops-catalog"),
                     new StringSerializer(), serde.serializer())) {
            final List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (final ServiceEntry e : entries) {
                acks.add(producer.send(new ProducerRecord<>(Topics.CATALOG.name(), e.getName(), e)));
            }
            for (final java.util.concurrent.Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            return entries.size();
        }
    }

    /** {@code capacity: {qps_metric, qps_per_replica, min_replicas, max_replicas, headroom, limits: {metric: limit}}}. */
    private static ServiceCapacity capacity(final JsonNode c, final String where) {
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        if (!c.isObject()) {
            throw new CatalogException(where + " must be a mapping");
        }
        final Set<String> known = Set.of("qps_metric", "qps_per_replica", "min_replicas", "max_replicas", "headroom",
                "limits");
        c.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new CatalogException(where + "." + f + " is not a capacity field (" + new TreeSet<>(known) + ")");
            }
        });
        final ServiceCapacity.Builder b = ServiceCapacity.newBuilder();
        if (c.has("qps_metric")) {
            b.setQpsMetric(c.get("qps_metric").asText());
        }
        if (c.has("qps_per_replica")) {
            final JsonNode q = c.get("qps_per_replica");
            if (!q.isNumber() || q.asDouble() <= 0) {
                throw new CatalogException(where + ".qps_per_replica must be a number > 0");
            }
            b.setQpsPerReplica(q.asDouble());
        }
        final int min = wholeNumber(c, "min_replicas", 1, where);
        final int max = wholeNumber(c, "max_replicas", 10, where);
        if (max < min || max < 1) {
            throw new CatalogException(where + " needs 0 <= min_replicas <= max_replicas and max_replicas >= 1");
        }
        b.setMinReplicas(min).setMaxReplicas(max);
        if (c.has("headroom")) {
            final JsonNode h = c.get("headroom");
            if (!h.isNumber() || h.asDouble() < 0 || h.asDouble() > 5) {
                throw new CatalogException(where + ".headroom must be a number from 0 to 5");
            }
            b.setHeadroom(h.asDouble());
        }
        final Map<String, Double> limits = new TreeMap<>();
        final JsonNode l = c.path("limits");
        if (!l.isMissingNode() && !l.isObject()) {
            throw new CatalogException(where + ".limits must map metric names to numbers");
        }
        l.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber() || e.getValue().asDouble() <= 0) {
                throw new CatalogException(where + ".limits." + e.getKey() + " must be a number > 0");
            }
            limits.put(e.getKey(), e.getValue().asDouble());
        });
        return b.setLimits(limits).build();
    }

    private static int wholeNumber(final JsonNode c, final String field, final int fallback, final String where) {
        final JsonNode v = c.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new CatalogException(where + "." + field + " must be a whole number >= 0");
        }
        return v.asInt();
    }

    private static String text(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /** A catalogue file that does not follow the format. */
    public static final class CatalogException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CatalogException(final String message) {
            super(message);
        }
    }
}
