package aiops.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    @Test
    void shouldContinueAValidTraceWithANewSpan() {
        final TraceContext trace = TraceContext.continueOrStart("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(trace.spanId()).hasSize(16).isNotEqualTo("00f067aa0ba902b7");
        assertThat(trace.traceparent()).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
    }

    @Test
    void shouldStartANewTraceForMissingOrInvalidHeaders() {
        for (final String header : new String[] {null, "", "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
            final TraceContext trace = TraceContext.continueOrStart(header);
            assertThat(trace.traceId()).as(String.valueOf(header)).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(trace.flags()).isEqualTo("01");
        }
    }
}
