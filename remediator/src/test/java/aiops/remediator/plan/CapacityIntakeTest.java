package aiops.remediator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapacityIntakeTest {

    @Test
    void shouldScaleUpAtOnceButDownOnlyByAQuarterAndOneReplica() {
        assertThat(CapacityIntake.worthProposing(4, 5)).isTrue();
        assertThat(CapacityIntake.worthProposing(4, 4)).isFalse();
        assertThat(CapacityIntake.worthProposing(4, 3)).isTrue();
        assertThat(CapacityIntake.worthProposing(12, 10)).isFalse();
        assertThat(CapacityIntake.worthProposing(12, 9)).isTrue();
        assertThat(CapacityIntake.worthProposing(2, 1)).isTrue();
    }
}
