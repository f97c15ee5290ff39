package aiops.ingest.streams;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link BufferedAlert} on the correlator's repartition topic and in its reorder buffer: every raw
 * alert crosses both, and JSON there was about a sixth of the stream thread. Fields in a fixed order after a format
 * byte; strings as a length (-1 for null) and UTF-8. Records written as JSON by an earlier version (they start with
 * '{') are still read, so an upgrade keeps its changelogs and in-flight repartition records.
 */
final class BufferedAlertSerde implements Serde<BufferedAlert> {

    static final byte FORMAT = 1;
    private static final byte ALERT = 0;
    private static final byte ANOMALY = 1;

    private final JsonSerde<BufferedAlert> legacy = new JsonSerde<>(BufferedAlert.class);

    @Override
    public Serializer<BufferedAlert> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public Deserializer<BufferedAlert> deserializer() {
        final Deserializer<BufferedAlert> json = legacy.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == '{') {
                return json.deserialize(topic, bytes);
            }
            return read(bytes);
        };
    }

    static byte[] write(final BufferedAlert b) {
        final byte[][] strings = {utf8(b.fingerprint), utf8(b.name), utf8(b.service), utf8(b.severity),
            utf8(b.status), utf8(b.replayRunId), utf8(b.traceParent), utf8(b.anomalyKind), utf8(b.summary)};
        final byte[][] attributes = new byte[b.attributes.size() * 2][];
        if (!b.attributes.isEmpty()) {
            int i = 0;
            for (final Map.Entry<String, String> e : b.attributes.entrySet()) {
                attributes[i++] = utf8(e.getKey());
                attributes[i++] = utf8(e.getValue());
            }
        }
        int size = 2 + Long.BYTES + Double.BYTES + Integer.BYTES;
        for (final byte[] s : strings) {
            size += Integer.BYTES + (s == null ? 0 : s.length);
        }
        for (final byte[] s : attributes) {
            size += Integer.BYTES + (s == null ? 0 : s.length);
        }
        final ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT).put(b.isAnomaly() ? ANOMALY : ALERT).putLong(b.eventTime).putDouble(b.score);
        for (final byte[] s : strings) {
            put(out, s);
        }
        out.putInt(b.attributes.size());
        for (final byte[] s : attributes) {
            put(out, s);
        }
        return out.array();
    }

    static BufferedAlert read(final byte[] bytes) {
        try {
            final ByteBuffer in = ByteBuffer.wrap(bytes);
            final byte format = in.get();
            if (format != FORMAT) {
                throw new SerializationException("unknown buffered-alert format " + format);
            }
            final BufferedAlert b = new BufferedAlert();
            b.kind = switch (in.get()) {
                case ALERT -> "alert";
                case ANOMALY -> "anomaly";
                default -> throw new SerializationException("unknown buffered-alert kind");
            };
            b.eventTime = in.getLong();
            b.score = in.getDouble();
            b.fingerprint = string(in);
            b.name = string(in);
            b.service = string(in);
            b.severity = string(in);
            b.status = string(in);
            b.replayRunId = string(in);
            b.traceParent = string(in);
            b.anomalyKind = string(in);
            b.summary = string(in);
            final int attributes = in.getInt();
            if (attributes < 0 || attributes > in.remaining() / (2 * Integer.BYTES)) {
                throw new SerializationException("bad buffered-alert attribute count " + attributes);
            }
            final Map<String, String> map = new TreeMap<>();
            for (int i = 0; i < attributes; i++) {
                final String key = string(in);
                if (key == null) {
                    throw new SerializationException("null buffered-alert attribute name");
                }
                map.put(key, string(in));
            }
            b.attributes = map;
            if (in.hasRemaining()) {
                throw new SerializationException("trailing bytes after a buffered alert");
            }
            return b;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("truncated or malformed buffered alert", e);
        }
    }

    private static byte[] utf8(final String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(final ByteBuffer out, final byte[] s) {
        if (s == null) {
            out.putInt(-1);
        } else {
            out.putInt(s.length).put(s);
        }
    }

    private static String string(final ByteBuffer in) {
        final int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException("bad buffered-alert string length " + length);
        }
        final String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }
}
