package aiops.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void registryClientOverridesShouldReachTheRegistryConfigAndOtherOverridesNot() {
        final KafkaSettings settings = new KafkaSettings("broker:9092", "http://registry:8080/apis/registry/v3",
                Map.of("apicurio.registry.auth.username", "svc-aiops", "security.protocol", "SASL_SSL"));

        final Map<String, Object> registry = settings.registryConfig();

        assertThat(registry).containsEntry("apicurio.registry.auth.username", "svc-aiops")
                .containsEntry("apicurio.registry.url", "http://registry:8080/apis/registry/v3")
                .doesNotContainKey("security.protocol");
        for (final Map<String, Object> client : List.of(settings.producerProps("p"), settings.consumerProps("g"),
                settings.streamsProps("app", Path.of("state")), settings.adminProps())) {
            assertThat(client).as("serdes come ready-made, so Kafka clients get no registry settings")
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "broker:9092")
                    .doesNotContainKeys("apicurio.registry.auth.username", "apicurio.registry.url");
        }
    }
}
