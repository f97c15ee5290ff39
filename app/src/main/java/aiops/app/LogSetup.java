package aiops.app;

import java.util.Locale;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Chooses log format and level before logback starts: {@code AIOPS_LOG_FORMAT} (json|text) and
 * {@code AIOPS_LOG_LEVEL}. Commands other than {@code run} default to WARN so that their output is what a person reads.
 */
final class LogSetup {

    private LogSetup() {
    }

    static void beforeFirstLogger(final String[] args) {
        final String format = env("AIOPS_LOG_FORMAT", "json").toLowerCase(Locale.ROOT);
        System.setProperty("aiops.log.appender", "text".equals(format) ? "TEXT" : "JSON");
        final boolean quiet = args.length > 0 && !"run".equals(args[0]);
        System.setProperty("aiops.log.level", env("AIOPS_LOG_LEVEL", quiet ? "WARN" : "INFO").toUpperCase(Locale.ROOT));
        // Some libraries (the registry client's Vert.x) log through java.util.logging: route it into the same JSON.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    private static String env(final String name, final String fallback) {
        final String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
