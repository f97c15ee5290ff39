package aiops.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolved configuration. Precedence, highest first: explicit overrides (set by the embedded mode),
 * {@code -Daiops.*} system properties, {@code AIOPS_*} environment variables, the properties file
 * ({@code AIOPS_CONFIG_FILE} or {@code --config}), then key defaults.
 */
public final class AiopsConfig {

    /** Where the optional properties file is named. */
    public static final String CONFIG_FILE_ENV = "AIOPS_CONFIG_FILE";

    private final Map<String, String> env;
    private final Properties systemProperties;
    private final Properties file;
    private final Map<String, String> overrides;

    private AiopsConfig(final Map<String, String> env, final Properties systemProperties, final Properties file,
                        final Map<String, String> overrides) {
        this.env = Map.copyOf(env);
        this.systemProperties = systemProperties;
        this.file = file;
        this.overrides = Map.copyOf(overrides);
    }

    /** Configuration of this process: its environment, system properties and the optional file. */
    public static AiopsConfig fromEnvironment(final Path explicitFile) {
        final Path file = explicitFile != null ? explicitFile
                : Optional.ofNullable(System.getenv(CONFIG_FILE_ENV)).map(Path::of).orElse(null);
        return of(System.getenv(), System.getProperties(), file);
    }

    public static AiopsConfig of(final Map<String, String> env, final Properties systemProperties, final Path file) {
        return new AiopsConfig(env, systemProperties, file == null ? new Properties() : readFile(file), Map.of());
    }

    /** A copy where {@code key} is fixed to {@code value}, whatever the environment says. */
    public AiopsConfig with(final ConfigKey<?> key, final String value) {
        final Map<String, String> next = new HashMap<>(overrides);
        next.put(key.name(), value);
        return new AiopsConfig(env, systemProperties, file, next);
    }

    /** The raw value of {@code key} from the first source that sets it, else its default. */
    public Optional<String> raw(final ConfigKey<?> key) {
        String value = overrides.get(key.name());
        if (value == null) {
            value = systemProperties.getProperty(key.systemProperty());
        }
        if (value == null) {
            value = env.get(key.envName());
        }
        if (value == null) {
            value = file.getProperty(key.name());
        }
        if (value == null || value.isBlank()) {
            value = key.defaultValue();
        }
        return Optional.ofNullable(value);
    }

    /**
     * The parsed value of a key that is required or has a default.
     *
     * @throws ConfigException naming the key when it is missing or invalid
     */
    public <T> T get(final ConfigKey<T> key) {
        return optional(key).orElseThrow(() -> new ConfigException(key, "is required but not set"));
    }

    /** The parsed value, empty when unset and without default. */
    public <T> Optional<T> optional(final ConfigKey<T> key) {
        return raw(key).map(key::parse);
    }

    /** Every problem with {@code keys}, one message each; empty when all are valid. */
    public List<String> check(final Collection<ConfigKey<?>> keys) {
        final List<String> problems = new ArrayList<>();
        for (final ConfigKey<?> key : keys) {
            try {
                if (key.isRequired()) {
                    get(key);
                } else {
                    optional(key);
                }
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /**
     * @throws ConfigException listing every problem with {@code keys} (each naming its key), when there is any
     */
    public AiopsConfig require(final Collection<ConfigKey<?>> keys) {
        final List<String> problems = check(keys);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return this;
    }

    /** Properties-file entries under {@code prefix}, prefix removed: pass-through settings for Kafka clients. */
    public Map<String, String> passThrough(final String prefix) {
        final Map<String, String> out = new HashMap<>();
        for (final String name : file.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), file.getProperty(name));
            }
        }
        return out;
    }

    private static Properties readFile(final Path path) {
        final Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE_ENV + ": cannot read " + path + ": " + e.getMessage());
        }
        return props;
    }
}
