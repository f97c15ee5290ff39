package aiops.embedded.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Copies bytes both ways between connections on a loopback port and a target, for tests that make a component
 * unreachable (nothing listens on the port yet) and then reachable again without restarting it.
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;

    private TcpForwarder(final ServerSocket server) {
        this.server = server;
    }

    /** A loopback port nothing listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Listens on loopback {@code port} and forwards every connection to {@code host:targetPort}. */
    public static TcpForwarder start(final int port, final String host, final int targetPort) throws IOException {
        final ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        daemon(() -> {
            while (!server.isClosed()) {
                try {
                    final Socket in = server.accept();
                    final Socket out = new Socket(host, targetPort);
                    daemon(() -> pump(in, out));
                    daemon(() -> pump(out, in));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new TcpForwarder(server);
    }

    private static void pump(final Socket from, final Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void daemon(final Runnable body) {
        final Thread t = new Thread(body, "tcp-forwarder");
        t.setDaemon(true);
        t.start();
    }

    /** Stops accepting; connections already forwarded run on until either side closes them. */
    @Override
    public void close() throws IOException {
        server.close();
    }
}
