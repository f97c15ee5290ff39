package aiops.remediator.notify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notification file: named channels, the SMTP server, and routes by kind, severity and owner. {@code ${VAR}}
 * in a value is replaced by that environment variable, so webhook URLs and passwords stay out of the file.
 *
 * <pre>
 * channels:
 *   shop-slack: {type: slack, url: "${SLACK_SHOP_URL}"}
 *   oncall:     {type: email, to: [oncall@example.com]}
 * smtp: {host: smtp.example.com, port: 587, starttls: true, username: aiops, password: "${SMTP_PASSWORD}", from: aiops@example.com}
 * routes:
 *   - {owners: [team-shop], severities: [critical, high], channels: [shop-slack, oncall]}
 * default: [log]
 * </pre>
 */
public record NotifyConfig(@JsonProperty("channels") Map<String, ChannelSpec> channels,
                           @JsonProperty("smtp") SmtpSpec smtp,
                           @JsonProperty("routes") List<Route> routes,
                           @JsonProperty("default") List<String> defaultChannels) {

    /** One channel. {@code url} for slack, webhook and feishu; {@code to} for email; {@code secret} signs. */
    public record ChannelSpec(@JsonProperty("type") String type, @JsonProperty("url") String url,
                              @JsonProperty("secret") String secret, @JsonProperty("to") List<String> to) {
    }

    /** The SMTP server. */
    public record SmtpSpec(@JsonProperty("host") String host, @JsonProperty("port") Integer port,
                           @JsonProperty("starttls") Boolean startTls, @JsonProperty("ssl") Boolean ssl,
                           @JsonProperty("username") String username, @JsonProperty("password") String password,
                           @JsonProperty("from") String from) {
    }

    /** Every route whose lists all match (an empty list matches anything) adds its channels. */
    public record Route(@JsonProperty("kinds") List<String> kinds, @JsonProperty("severities") List<String> severities,
                        @JsonProperty("owners") List<String> owners, @JsonProperty("channels") List<String> channels) {
    }

    /** A file that cannot be used, naming the problem. */
    public static final class InvalidNotifyConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidNotifyConfigException(final String message) {
            super(message);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final List<String> TYPES = List.of("slack", "webhook", "email", "feishu", "log");

    /** Only the log channel, for every notice. */
    public static NotifyConfig logOnly() {
        return new NotifyConfig(Map.of("log", new ChannelSpec("log", null, null, null)), null, List.of(), List.of("log"));
    }

    public static NotifyConfig parse(final String yaml, final String origin, final UnaryOperator<String> env)
            throws InvalidNotifyConfigException {
        final StringBuilder resolved = new StringBuilder();
        final Matcher m = VARIABLE.matcher(yaml);
        while (m.find()) {
            final String value = env.apply(m.group(1));
            if (value == null) {
                throw new InvalidNotifyConfigException(origin + ":" + lineOf(yaml, m.start()) + ": environment variable "
                        + m.group(1) + " is not set");
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        m.appendTail(resolved);
        final NotifyConfig raw;
        try {
            raw = YAML.readValue(resolved.toString(), NotifyConfig.class);
        } catch (final com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            // Records are built after the whole object is read, so the parser is past the key: find the key.
            final Matcher key = Pattern.compile("(?m)^[\\s-]*" + Pattern.quote(e.getPropertyName()) + "\\s*:")
                    .matcher(yaml);
            throw new InvalidNotifyConfigException(origin + (key.find() ? ":" + lineOf(yaml, key.start()) : "")
                    + ": unknown key '" + e.getPropertyName() + "'");
        } catch (final JsonProcessingException e) {
            final int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new InvalidNotifyConfigException(origin + (line < 0 ? "" : ":" + line) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("invalid"));
        }
        if (raw == null) {
            return logOnly();
        }
        final Map<String, ChannelSpec> channels = new LinkedHashMap<>(raw.channels() == null ? Map.of() : raw.channels());
        channels.putIfAbsent("log", new ChannelSpec("log", null, null, null));
        for (final Map.Entry<String, ChannelSpec> e : channels.entrySet()) {
            final ChannelSpec c = e.getValue();
            final String where = origin + ": channels." + e.getKey();
            if (c == null || c.type() == null || !TYPES.contains(c.type().toLowerCase(Locale.ROOT))) {
                throw new InvalidNotifyConfigException(where + ".type must be one of " + TYPES);
            }
            final String type = c.type().toLowerCase(Locale.ROOT);
            if (List.of("slack", "webhook", "feishu").contains(type)
                    && (c.url() == null || !(c.url().startsWith("https://") || c.url().startsWith("http://")))) {
                throw new InvalidNotifyConfigException(where + ".url must be an http(s) URL");
            }
            if (type.equals("email") && (c.to() == null || c.to().isEmpty())) {
                throw new InvalidNotifyConfigException(where + ".to needs at least one address");
            }
            if (type.equals("email") && (raw.smtp() == null || raw.smtp().host() == null || raw.smtp().from() == null)) {
                throw new InvalidNotifyConfigException(origin + ": smtp.host and smtp.from are needed for " + where);
            }
        }
        final List<Route> routes = raw.routes() == null ? List.of() : raw.routes();
        for (int i = 0; i < routes.size(); i++) {
            final List<String> names = routes.get(i).channels();
            if (names == null || names.isEmpty()) {
                throw new InvalidNotifyConfigException(origin + ": routes[" + i + "].channels is empty");
            }
            for (final String n : names) {
                if (!channels.containsKey(n)) {
                    throw new InvalidNotifyConfigException(origin + ": routes[" + i + "] names unknown channel " + n);
                }
            }
        }
        final List<String> fallback = raw.defaultChannels() == null ? List.of("log") : raw.defaultChannels();
        for (final String n : fallback) {
            if (!channels.containsKey(n)) {
                throw new InvalidNotifyConfigException(origin + ": default names unknown channel " + n);
            }
        }
        return new NotifyConfig(Map.copyOf(channels), raw.smtp(), routes, fallback);
    }

    private static int lineOf(final String text, final int index) {
        return (int) text.substring(0, index).chars().filter(ch -> ch == '\n').count() + 1;
    }
}
