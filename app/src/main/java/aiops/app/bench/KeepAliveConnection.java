package aiops.app.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection that sends the same prepared POST again and again, like the connections of wrk
 * or ab. The load generator shares the server's cores, so it must cost far less per request than the server does;
 * a general-purpose client (selector thread, futures, header maps) spends more CPU per request than the receiver.
 */
final class KeepAliveConnection implements AutoCloseable {

    private final URI target;
    private final byte[] request;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeepAliveConnection(final URI target, final String authorization, final String body) {
        this.target = target;
        final byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        final String head = "POST " + target.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + target.getHost() + ":" + target.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Authorization: " + authorization + "\r\n"
                + "Content-Length: " + payload.length + "\r\n\r\n";
        final byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        request = new byte[headBytes.length + payload.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(payload, 0, request, headBytes.length, payload.length);
    }

    /** Sends the request and reads the whole response; returns its status code. Reconnects when the server closed. */
    int post() throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return readResponse();
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
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    private int readResponse() throws IOException {
        final String statusLine = line();
        final int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            final int colon = header.indexOf(':');
            final String name = header.substring(0, colon).trim();
            final String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                skip(size);
                line();
            }
            line();
        } else if (length > 0) {
            skip(length);
        }
        if (close) {
            close();
        }
        return status;
    }

    private String line() throws IOException {
        final StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private void skip(final long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            final long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the server closed the connection mid-body");
                }
                left--;
            } else {
                left -= n;
            }
        }
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
