package aiops.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuProbeTest {

    @Test
    void shouldRunTheXorshiftChainItClaims() {
        // Marsaglia's xorshift64 (13, 7, 17) from 1: one step is 1082269761, and the chain never reaches zero.
        assertThat(CpuProbe.chain(1, 1)).isEqualTo(1_082_269_761L);
        assertThat(CpuProbe.chain(1, 2)).isEqualTo(CpuProbe.chain(CpuProbe.chain(1, 1), 1));
        assertThat(CpuProbe.chain(1, 1_000)).isNotZero();
    }

    @Test
    void shouldRecordTimedProbesBeforeAndAfter() {
        final Map<String, Object> result = new LinkedHashMap<>();
        CpuProbe.record(result, 12.5);
        assertThat(result).containsEntry("cpu_probe_ms_before", 12.5);
        assertThat((Double) result.get("cpu_probe_ms_after")).isPositive().isLessThan(60_000.0);
    }
}
