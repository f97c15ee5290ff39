package aiops.remediator.store;

import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Records for Kafka, stored in the same transaction as the state change they describe (Avro single-object encoding),
 * so the topic never misses a change and never hears of one the database rolled back.
 */
public final class Outbox {

    /** One record waiting to be sent. */
    public record Entry(long seq, String topic, String key, String eventId, SpecificRecord value) {
    }

    private Outbox() {
    }

    /** Adds a record unless one with the same event id is already waiting or was sent from this row. */
    public static void add(final Connection c, final TopicSpec<?> topic, final String key, final String eventId,
                           final SpecificRecordBase value) throws SQLException {
        final byte[] payload;
        try {
            final ByteBuffer buffer = new BinaryMessageEncoder<SpecificRecordBase>(value.getSpecificData(),
                    value.getSchema()).encode(value);
            payload = new byte[buffer.remaining()];
            buffer.get(payload);
        } catch (final IOException e) {
            throw new SQLException("cannot encode " + eventId, e);
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO remediator_outbox (topic, record_key, event_id, payload)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING")) {
            st.setString(1, topic.name());
            st.setString(2, key);
            st.setString(3, eventId);
            st.setBytes(4, payload);
            st.executeUpdate();
        }
    }

    /** The oldest waiting records, in the order they were written. */
    public static List<Entry> oldest(final Connection c, final int limit) throws SQLException {
        final List<Entry> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT seq, topic, record_key, event_id, payload FROM remediator_outbox"
                + " ORDER BY seq LIMIT ?")) {
            st.setInt(1, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    final String topic = rs.getString(2);
                    out.add(new Entry(rs.getLong(1), topic, rs.getString(3), rs.getString(4),
                            decode(topic, rs.getBytes(5))));
                }
            }
        }
        return out;
    }

    public static void delete(final Connection c, final List<Entry> sent) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM remediator_outbox WHERE seq = ?")) {
            for (final Entry e : sent) {
                st.setLong(1, e.seq());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static SpecificRecord decode(final String topic, final byte[] payload) throws SQLException {
        final TopicSpec<?> spec = Topics.byName(topic).orElseThrow(() -> new SQLException("unknown topic " + topic));
        final BinaryMessageDecoder<SpecificRecord> decoder = new BinaryMessageDecoder<>(
                SpecificData.getForClass(spec.valueType()), spec.valueSchema());
        try {
            return decoder.decode(payload);
        } catch (final IOException e) {
            throw new SQLException("cannot decode outbox record for " + topic, e);
        }
    }
}
