package aiops.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(settings.producerProps("p")).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.adminProps()).as("the admin client has no serdes to hand registry settings to")
                .containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("apicurio.registry.auth.username");
    }
}
