package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldHandOutDistinctBindablePortsOutsideTheRangeOutgoingConnectionsUse() throws Exception {
        final int ephemeral = Ports.ephemeralStart();
        assumeTrue(ephemeral > 11_000, "no readable ephemeral port range here");
        final Set<Integer> given = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            final int port = Ports.freePort();
            assertThat(port).isBetween(10_000, ephemeral - 1);
            assertThat(given.add(port)).as("port %d handed out twice", port).isTrue();
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void shouldKeepAnExplicitPort() {
        assertThat(Ports.orFree(4242)).isEqualTo(4242);
        assertThat(Ports.orFree(0)).isPositive();
    }
}
