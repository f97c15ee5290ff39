package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.avro.ServiceEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogLoaderTest {

    static List<ServiceEntry> parse(final String yaml) throws Exception {
        return CatalogLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "catalog.yaml");
    }

    @Test
    void shouldReadCapacityWithDefaultsForWhatIsLeftOut() throws Exception {
        final List<ServiceEntry> entries = parse("""
                services:
                  - name: checkout
                    capacity: {qps_per_replica: 40, min_replicas: 2, max_replicas: 12, limits: {memory_used_ratio: 0.9}}
                  - name: orders-db
                    capacity: {limits: {disk_used_ratio: 0.85}}
                  - name: search
                """);

        assertThat(entries.get(0).getCapacity().getQpsPerReplica()).isEqualTo(40.0);
        assertThat(entries.get(0).getCapacity().getQpsMetric()).isEqualTo("http_requests_per_s");
        assertThat(entries.get(0).getCapacity().getHeadroom()).isEqualTo(0.2);
        assertThat(entries.get(0).getCapacity().getMaxReplicas()).isEqualTo(12);
        assertThat(entries.get(0).getCapacity().getLimits()).containsEntry("memory_used_ratio", 0.9);
        assertThat(entries.get(1).getCapacity().getQpsPerReplica()).isNull();
        assertThat(entries.get(1).getCapacity().getLimits()).containsEntry("disk_used_ratio", 0.85);
        assertThat(entries.get(2).getCapacity()).isNull();
    }

    @Test
    void shouldRefuseBadCapacityNamingTheField() {
        assertThatThrownBy(() -> parse("services: [{name: a, capacity: {qps_per_replica: 0}}]"))
                .hasMessage("catalog.yaml: services[0].capacity.qps_per_replica must be a number > 0");
        assertThatThrownBy(() -> parse("services: [{name: a, capacity: {min_replicas: 5, max_replicas: 3}}]"))
                .hasMessageContaining("services[0].capacity needs 0 <= min_replicas <= max_replicas");
        assertThatThrownBy(() -> parse("services: [{name: a, capacity: {replicas_per_qps: 3}}]"))
                .hasMessageContaining("services[0].capacity.replicas_per_qps is not a capacity field");
        assertThatThrownBy(() -> parse("services: [{name: a, capacity: {limits: {disk: full}}}]"))
                .hasMessageContaining("services[0].capacity.limits.disk must be a number > 0");
    }
}
