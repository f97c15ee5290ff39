package aiops.app;

import java.util.Locale;

/**
 * Chooses log format and level before logback starts: {@code AIOPS_LOG_FORMAT} (json|text) and
 * {@code AIOPS_LOG_LEVEL}. The demo defaults to WARN so that its summary is what a person reads.
 */
final class LogSetup {

    private LogSetup() {
    }

    static void beforeFirstLogger(final String[] args) {
        final String format = env("AIOPS_LOG_FORMAT", "json").toLowerCase(Locale.ROOT);
        System.setProperty("aiops.log.appender", "text".equals(format) ? "TEXT" : "JSON");
        final boolean quiet = args.length > 0 && !"run".equals(args[0]);
        System.setProperty("aiops.log.level", env("AIOPS_LOG_LEVEL", quiet ? "WARN" : "INFO").toUpperCase(Locale.ROOT));
    }

    private static String env(final String name, final String fallback) {
        final String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
