package aiops.common.config;

/** Invalid or missing configuration. The launcher turns it into exit code 2 and a one-line message. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(final ConfigKey<?> key, final String problem) {
        super(key.envName() + " (" + key.name() + "): " + problem);
        this.key = key.envName();
    }

    public ConfigException(final String message) {
        super(message);
        this.key = null;
    }

    /** Environment name of the offending key, or {@code null} when the problem is not about one key. */
    public String key() {
        return key;
    }
}
