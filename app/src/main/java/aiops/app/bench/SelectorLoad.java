package aiops.app.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Closed-loop load: {@code connections} keep-alive HTTP/1.1 connections, each sending the next request as soon as the
 * answer to the last one is read, all driven by one selector thread (as wrk drives its connections). The load
 * generator shares the server's cores: a thread per connection cost a block and a wake-up per request, about a sixth
 * of the machine at 16k requests/s, which the server then did not get.
 */
final class SelectorLoad {

    /** How long the run waits, after its duration, for the answers still in flight. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private SelectorLoad() {
    }

    /**
     * Runs the load for {@code duration}; requests still in flight at the end are awaited (up to 30 s) and counted.
     * A connection the server closed or broke counts a failure and is replaced.
     */
    static LoadResult run(final URI target, final byte[] request, final int recordsPerRequest, final int connections,
                          final Duration duration) throws IOException {
        final List<Connection> all = new ArrayList<>(connections);
        long[] latencies = new long[1 << 16];
        int n = 0;
        long failures = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                all.add(new Connection(selector, target, request));
            }
            final long start = System.nanoTime();
            final long end = start + duration.toNanos();
            for (final Connection c : all) {
                c.send(start);
            }
            int busy = connections;
            while (busy > 0) {
                selector.select(1_000);
                final long now = System.nanoTime();
                for (final SelectionKey key : selector.selectedKeys()) {
                    final Connection c = (Connection) key.attachment();
                    int status;
                    try {
                        status = c.onReadable();
                    } catch (IOException e) {
                        status = -1;
                    }
                    if (status == 0) {
                        continue;
                    }
                    if (status == 202) {
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = now - c.sentAt;
                    } else {
                        failures++;
                    }
                    if (now >= end) {
                        busy--;
                        c.close();
                    } else if (status < 0 || c.closing()) {
                        final Connection fresh = new Connection(selector, target, request);
                        all.set(all.indexOf(c), fresh);
                        c.close();
                        fresh.send(now);
                    } else {
                        c.send(now);
                    }
                }
                selector.selectedKeys().clear();
                if (now - end > DRAIN.toNanos()) {
                    // Answers that never came are failures, not a hung benchmark.
                    failures += busy;
                    break;
                }
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            return new LoadResult(n, (long) n * recordsPerRequest, seconds, Arrays.copyOf(latencies, n), failures);
        } finally {
            for (final Connection c : all) {
                c.close();
            }
        }
    }

    /** Prepared bytes of a POST of {@code body} to {@code target}. */
    static byte[] post(final URI target, final String authorization, final String body) {
        final byte[] payload = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] head = ("POST " + target.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Authorization: " + authorization + "\r\n"
                + "Content-Length: " + payload.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] request = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, request, head.length, payload.length);
        return request;
    }

    /** One connection: writes the request, then gathers the answer until {@link HttpAnswer} finds its end. */
    private static final class Connection {
        private final SocketChannel channel;
        private final SelectionKey key;
        private final byte[] request;
        private final HttpAnswer answer = new HttpAnswer();
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private long sentAt;

        Connection(final Selector selector, final URI target, final byte[] request) throws IOException {
            this.request = request;
            channel = SocketChannel.open(new InetSocketAddress(target.getHost(), target.getPort()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ, this);
        }

        void send(final long now) throws IOException {
            sentAt = now;
            answer.reset();
            final ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                // A request of a few KiB fits the socket buffer of an idle keep-alive connection at once.
                channel.write(out);
            }
        }

        boolean closing() {
            return answer.closesConnection();
        }

        /** @return the status once the whole answer was read, else 0 */
        int onReadable() throws IOException {
            in.clear();
            final int read = channel.read(in);
            if (read < 0) {
                throw new EOFException("the server closed a benchmark connection");
            }
            return answer.feed(in.array(), read);
        }

        void close() {
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a finished benchmark connection
            }
        }
    }
}
