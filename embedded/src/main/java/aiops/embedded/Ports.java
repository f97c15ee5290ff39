package aiops.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports, chosen before a server binds them because some servers cannot report theirs.
 *
 * <p>They are drawn below the operating system's ephemeral range. A port the OS hands out for {@code bind(0)} comes
 * from that range, and so does the local port of every outgoing connection: between the probe and the server's bind,
 * a Kafka or JDBC client connecting elsewhere could take it, and the server then failed to start ("port in use").
 */
public final class Ports {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final int RECENT = 256;
    /** Ports handed out lately: a probed port is free again at once, and must not be handed out twice. */
    private static final Deque<Integer> RECENTLY_GIVEN = new ArrayDeque<>();

    private Ports() {
    }

    public static int freePort() {
        final int below = ephemeralStart();
        if (below - LOWEST > 1_000) {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 100; attempt++) {
                final int port = LOWEST + random.nextInt(below - LOWEST);
                if (remember(port) && bindable(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    public static int orFree(final int port) {
        return port == 0 ? freePort() : port;
    }

    /** First port of the OS's ephemeral range; 0 where it cannot be read (then ports come from {@code bind(0)}). */
    static int ephemeralStart() {
        // Read as a stream: /proc files report no size, and Files.readString returned only the first byte of this one.
        try (var in = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static synchronized boolean remember(final int port) {
        if (RECENTLY_GIVEN.contains(port)) {
            return false;
        }
        RECENTLY_GIVEN.addLast(port);
        if (RECENTLY_GIVEN.size() > RECENT) {
            RECENTLY_GIVEN.removeFirst();
        }
        return true;
    }

    private static boolean bindable(final int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
