package aiops.remediator.notify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which channels a notice goes to: every matching route's, or the default channels when none matches. */
public final class NoticeRouter {

    private final NotifyConfig config;

    public NoticeRouter(final NotifyConfig config) {
        this.config = config;
    }

    public List<String> route(final Notice notice) {
        final Set<String> out = new LinkedHashSet<>();
        for (final NotifyConfig.Route r : config.routes()) {
            if (matches(r.kinds(), Set.of(notice.kind()))
                    && matches(r.severities(), Set.of(notice.severity().name().toLowerCase(Locale.ROOT)))
                    && matches(r.owners(), notice.owners())) {
                out.addAll(r.channels());
            }
        }
        if (out.isEmpty()) {
            out.addAll(config.defaultChannels());
        }
        return new ArrayList<>(out);
    }

    private static boolean matches(final List<String> wanted, final Set<String> actual) {
        return wanted == null || wanted.isEmpty()
                || wanted.stream().anyMatch(w -> actual.stream().anyMatch(a -> a.equalsIgnoreCase(w)));
    }
}
