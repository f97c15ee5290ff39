package aiops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientsTest {

    static Map<String, Object> config(final String url) {
        return AvroSerdes.registryConfig(url);
    }

    @Test
    void shouldShareOneClientPerRegistrySettings() {
        final var first = RegistryClients.forConfig(config("http://127.0.0.1:1/apis/registry/v3"));
        final Map<String, Object> withKafkaSettings = new HashMap<>(config("http://127.0.0.1:1/apis/registry/v3"));
        withKafkaSettings.put("bootstrap.servers", "127.0.0.1:9092");

        assertThat(RegistryClients.forConfig(withKafkaSettings)).isSameAs(first);
        assertThat(RegistryClients.forConfig(config("http://127.0.0.1:2/apis/registry/v3"))).isNotSameAs(first);
    }

    @Test
    void shouldKeepClientsWithDifferentCredentialsApart() {
        final Map<String, Object> alice = new HashMap<>(config("http://127.0.0.1:3/apis/registry/v3"));
        alice.put("apicurio.registry.auth.username", "alice");
        alice.put("apicurio.registry.auth.password", "a-secret");
        final Map<String, Object> bob = new HashMap<>(alice);
        bob.put("apicurio.registry.auth.username", "bob");

        assertThat(RegistryClients.forConfig(alice)).isNotSameAs(RegistryClients.forConfig(bob))
                .isSameAs(RegistryClients.forConfig(new HashMap<>(alice)));
    }

    @Test
    void shouldBuildEverySerdeOfOneRegistryOnTheSameClient() {
        final Map<String, Object> registry = config("http://127.0.0.1:4/apis/registry/v3");
        final int before = RegistryClients.count();
        for (int i = 0; i < 20; i++) {
            AvroSerdes.valueSerde(Topics.INCIDENTS, registry).close();
            AvroSerdes.valueSerde(Topics.ALERTS_RAW, registry).close();
        }
        assertThat(RegistryClients.count()).isEqualTo(before + 1);
    }
}
