package aiops.remediator.notify;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the configured channels by name. */
public final class Channels {

    private Channels() {
    }

    public static Map<String, Channel> from(final NotifyConfig config) {
        final Map<String, Channel> out = new LinkedHashMap<>();
        config.channels().forEach((name, spec) -> out.put(name, switch (spec.type().toLowerCase(Locale.ROOT)) {
            case "slack" -> HttpChannels.slack(name, spec.url());
            case "webhook" -> HttpChannels.webhook(name, spec.url(), spec.secret());
            case "feishu" -> HttpChannels.feishu(name, spec.url(), spec.secret());
            case "email" -> new EmailChannel(smtp(config.smtp()), spec.to());
            default -> new LogChannel();
        }));
        return out;
    }

    private static EmailChannel.Smtp smtp(final NotifyConfig.SmtpSpec s) {
        final boolean ssl = Boolean.TRUE.equals(s.ssl());
        return new EmailChannel.Smtp(s.host(), s.port() == null ? (ssl ? 465 : 587) : s.port(),
                Boolean.TRUE.equals(s.startTls()), ssl, s.username(), s.password(), s.from());
    }
}
