package aiops.remediator.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes notices from every part of the remediator, routes them, and queues one delivery per channel in the caller's
 * transaction. Replayed notices are recorded as suppressed unless their run may have side effects.
 */
public final class NotificationDesk {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationDesk.class);

    private final NoticeRouter router;
    private final Map<String, Channel> channels;
    private final Predicate<String> sideEffectsAllowed;

    public NotificationDesk(final NotifyConfig config, final Map<String, Channel> channels,
                            final Predicate<String> sideEffectsAllowed) {
        this.router = new NoticeRouter(config);
        this.channels = Map.copyOf(channels);
        this.sideEffectsAllowed = sideEffectsAllowed;
    }

    public Map<String, Channel> channels() {
        return channels;
    }

    public void offer(final Connection c, final Notice notice, final Instant now) throws SQLException {
        final String suppressed = sideEffectsAllowed.test(notice.replayRun()) ? null
                : "replay run " + notice.replayRun() + ": no external notification";
        final List<String> targets = router.route(notice);
        for (final String name : targets) {
            final Channel channel = channels.get(name);
            // The log channel is internal, so replayed notices still reach it.
            final boolean external = !(channel instanceof LogChannel);
            if (Deliveries.enqueue(c, notice, name, channel, external ? suppressed : null, now)) {
                LOG.debug("queued {} for {}", notice.key(), name);
            }
        }
    }
}
