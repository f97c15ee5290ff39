package aiops.app.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * One persistent HTTP/1.1 connection on its own thread that sends the same prepared POST again and again, for the
 * paced run, where each request must leave when it is due (a thread parked until then) rather than when a shared
 * selector thread gets to it. A general-purpose client (selector thread, futures, header maps) spends more CPU per
 * request than the receiver, and the load generator shares the server's cores.
 */
final class KeepAliveConnection implements AutoCloseable {

    private final URI target;
    private final byte[] request;
    private final HttpAnswer answer = new HttpAnswer();
    private final byte[] buffer = new byte[16 * 1024];
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeepAliveConnection(final URI target, final String authorization, final String body) {
        this.target = target;
        this.request = SelectorLoad.post(target, authorization, body);
    }

    /** Sends the request and reads the whole response; returns its status code. Reconnects when the server closed. */
    int post() throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            answer.reset();
            int status = 0;
            while (status == 0) {
                final int read = in.read(buffer);
                if (read < 0) {
                    throw new EOFException("the server closed the connection");
                }
                status = answer.feed(buffer, read);
            }
            if (answer.closesConnection()) {
                close();
            }
            return status;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a finished benchmark connection
            }
            socket = null;
        }
    }
}
