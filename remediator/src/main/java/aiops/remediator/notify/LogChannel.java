package aiops.remediator.notify;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The channel that is always there: one log line per notification (what the demo and unrouted notices use). */
public final class LogChannel implements Channel {

    private static final Logger LOG = LoggerFactory.getLogger("aiops.notifications");

    @Override
    public String type() {
        return "log";
    }

    @Override
    public List<String> recipients() {
        return List.of("log");
    }

    @Override
    public void send(final Message message) {
        LOG.info("{} [{}] {}: {}", message.kind(), message.severity(), message.title(), message.body());
    }
}
