package aiops.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shipped logback configuration keeps secrets out of both log formats. */
class LogRedactionTest {

    static final String SECRET_LINE = "upstream refused token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
            + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U for postgres://app:hunter2secret@db/orders";

    @Test
    void shouldRedactSecretsFromJsonLogLines() throws Exception {
        assertThat(render("JSON")).contains("[REDACTED:jwt:1]", "[REDACTED:url_password:1]")
                .doesNotContain("hunter2secret", "dozjgNryP4J3jVmNHl0w5N");
    }

    @Test
    void shouldRedactSecretsFromTextLogLines() throws Exception {
        assertThat(render("TEXT")).contains("[REDACTED:jwt:1]").doesNotContain("hunter2secret");
    }

    /** Configures a fresh context from logback.xml with the named appender and renders one event with its encoder. */
    private static String render(final String appenderName) throws Exception {
        final LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("aiops.log.appender", appenderName);
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogRedactionTest.class.getResource("/logback.xml"));
        final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        final OutputStreamAppender<ILoggingEvent> appender =
                (OutputStreamAppender<ILoggingEvent>) (Appender<ILoggingEvent>) root.getAppender(appenderName);
        final LoggingEvent event = new LoggingEvent(Logger.class.getName(), root, Level.WARN, SECRET_LINE, null, null);
        final byte[] bytes = appender.getEncoder().encode(event);
        context.stop();
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
