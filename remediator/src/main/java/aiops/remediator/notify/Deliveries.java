package aiops.remediator.notify;

import aiops.avro.NotificationEvent;
import aiops.avro.NotificationStatus;
import aiops.avro.Severity;
import aiops.remediator.store.Outbox;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code notification_deliveries} table: one row per notice and channel (the key makes a repeated notice a
 * no-op), leased by the channel's worker while it sends, retried with backoff, and its outcome published on
 * {@code aiops.notifications} through the outbox.
 */
public final class Deliveries {

    /** A delivery taken by a worker. */
    public record Due(Message message, String channel, int attempts, String replayRun, String traceParent) {
    }

    private static final Duration LEASE = Duration.ofSeconds(60);

    private Deliveries() {
    }

    public static String deliveryId(final String noticeKey, final String channel) {
        try {
            final byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((noticeKey + "\n" + channel).getBytes(StandardCharsets.UTF_8));
            return "ntf-" + HexFormat.of().formatHex(h, 0, 12);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Queues the notice for a channel, or records it as suppressed (with the reason, published at once); false when
     * this notice was queued for this channel before.
     */
    public static boolean enqueue(final Connection c, final Notice n, final String channel, final Channel target,
                                  final String suppressed, final Instant now) throws SQLException {
        final String id = deliveryId(n.key(), channel);
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO notification_deliveries (delivery_id, notification_key, channel, incident_id, kind, severity,
                    title, body, state, next_attempt_at, detail, replay_run, trace_parent, created_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING
                """)) {
            final Timestamp at = Timestamp.from(now);
            st.setString(1, id);
            st.setString(2, n.key());
            st.setString(3, channel);
            st.setString(4, n.incidentId());
            st.setString(5, n.kind());
            st.setString(6, n.severity().name());
            st.setString(7, n.title());
            st.setString(8, n.body());
            st.setString(9, suppressed == null ? "PENDING" : "SUPPRESSED");
            st.setTimestamp(10, at);
            st.setString(11, suppressed);
            st.setString(12, n.replayRun());
            st.setString(13, n.traceParent());
            st.setTimestamp(14, at);
            st.setTimestamp(15, suppressed == null ? null : at);
            if (st.executeUpdate() == 0) {
                return false;
            }
        }
        if (suppressed != null) {
            publish(c, new Due(new Message(id, n.incidentId(), n.kind(), n.severity(), n.title(), n.body(), now), channel,
                    0, n.replayRun(), n.traceParent()), target, NotificationStatus.SUPPRESSED, suppressed, now);
        }
        return true;
    }

    /** Leases up to {@code limit} due deliveries of one channel, oldest first, skipping rows other workers hold. */
    public static List<Due> lease(final Connection c, final String channel, final int limit, final Instant now)
            throws SQLException {
        final List<Due> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("""
                UPDATE notification_deliveries SET lease_until = ? WHERE delivery_id IN (
                    SELECT delivery_id FROM notification_deliveries
                    WHERE channel = ? AND state = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                    ORDER BY next_attempt_at, delivery_id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING delivery_id, incident_id, kind, severity, title, body, created_at, attempts, replay_run, trace_parent
                """)) {
            final Timestamp at = Timestamp.from(now);
            st.setTimestamp(1, Timestamp.from(now.plus(LEASE)));
            st.setString(2, channel);
            st.setTimestamp(3, at);
            st.setTimestamp(4, at);
            st.setInt(5, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(new Message(rs.getString(1), rs.getString(2), rs.getString(3),
                            Severity.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                            rs.getTimestamp(7).toInstant()), channel, rs.getInt(8), rs.getString(9), rs.getString(10)));
                }
            }
        }
        return out;
    }

    public static void sent(final Connection c, final Due d, final Channel target, final Instant now)
            throws SQLException {
        finish(c, d, "SENT", null, now);
        publish(c, d, target, NotificationStatus.SENT, null, now);
    }

    /** A failed attempt: retried after an exponential backoff, or failed for good after {@code maxAttempts}. */
    public static void attemptFailed(final Connection c, final Due d, final String error, final int maxAttempts,
                                     final Channel target, final Instant now) throws SQLException {
        final int attempts = d.attempts() + 1;
        if (attempts >= maxAttempts) {
            finish(c, d, "FAILED", error, now);
            publish(c, d, target, NotificationStatus.FAILED, "after " + attempts + " attempts: " + error, now);
            return;
        }
        final long backoffMs = Math.min(1_000L << Math.min(attempts - 1, 16), 300_000L);
        try (PreparedStatement st = c.prepareStatement("UPDATE notification_deliveries SET attempts = ?, detail = ?,"
                + " next_attempt_at = ?, lease_until = NULL WHERE delivery_id = ?")) {
            st.setInt(1, attempts);
            st.setString(2, error);
            st.setTimestamp(3, Timestamp.from(now.plusMillis(backoffMs)));
            st.setString(4, d.message().deliveryId());
            st.executeUpdate();
        }
    }

    private static void finish(final Connection c, final Due d, final String state, final String detail,
                               final Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE notification_deliveries SET state = ?, detail = ?,"
                + " attempts = attempts + 1, finished_at = ?, lease_until = NULL WHERE delivery_id = ?")) {
            st.setString(1, state);
            st.setString(2, detail);
            st.setTimestamp(3, Timestamp.from(now));
            st.setString(4, d.message().deliveryId());
            st.executeUpdate();
        }
    }

    private static void publish(final Connection c, final Due d, final Channel target, final NotificationStatus status,
                                final String detail, final Instant now) throws SQLException {
        final Message m = d.message();
        final NotificationEvent event = NotificationEvent.newBuilder().setNotificationId(m.deliveryId())
                .setIncidentId(m.incidentId()).setKind(m.kind()).setChannel(target.type()).setSeverity(m.severity())
                .setTitle(m.title()).setBody(m.body()).setRecipients(target.recipients()).setStatus(status).setDetail(detail)
                .setOccurredAt(now).setReplayRunId(d.replayRun()).setTraceParent(d.traceParent()).build();
        Outbox.add(c, Topics.NOTIFICATIONS, m.incidentId() == null ? m.kind() : m.incidentId(),
                m.deliveryId() + ":" + status.name().toLowerCase(java.util.Locale.ROOT), event);
    }
}
