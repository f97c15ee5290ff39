package aiops.common.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One typed configuration key. The property name ({@code http.port}) is used in properties files and as a
 * {@code -Daiops.http.port} system property; the environment name ({@code AIOPS_HTTP_PORT}) is derived from it.
 * Every error names both.
 */
public final class ConfigKey<T> {

    private final String name;
    private final String type;
    private final Function<String, T> parser;
    private final String defaultValue;
    private final boolean required;
    private final boolean secret;
    private final Predicate<T> validator;
    private final String constraint;
    private final String doc;

    private ConfigKey(final String name, final String type, final Function<String, T> parser,
                      final String defaultValue, final boolean required, final boolean secret,
                      final Predicate<T> validator, final String constraint, final String doc) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.required = required;
        this.secret = secret;
        this.validator = validator;
        this.constraint = constraint;
        this.doc = doc;
    }

    public static ConfigKey<String> string(final String name, final String doc) {
        return new ConfigKey<>(name, "string", s -> s, null, false, false, s -> !s.isBlank(), "not blank", doc);
    }

    public static ConfigKey<Integer> integer(final String name, final String doc) {
        return new ConfigKey<>(name, "int", Integer::valueOf, null, false, false, i -> true, null, doc);
    }

    public static ConfigKey<Boolean> bool(final String name, final String doc) {
        return new ConfigKey<>(name, "boolean", ConfigKey::parseBoolean, null, false, false, b -> true, null, doc);
    }

    public static <E extends Enum<E>> ConfigKey<E> oneOf(final String name, final Class<E> type, final String doc) {
        return new ConfigKey<>(name, "enum", s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_')),
                null, false, false, e -> true, null, doc + " One of " + lowerNames(type) + ".");
    }

    public ConfigKey<T> defaultValue(final String value) {
        return new ConfigKey<>(name, type, parser, value, required, secret, validator, constraint, doc);
    }

    public ConfigKey<T> required() {
        return new ConfigKey<>(name, type, parser, defaultValue, true, secret, validator, constraint, doc);
    }

    /** Values of secret keys are never printed or logged. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, type, parser, defaultValue, required, true, validator, constraint, doc);
    }

    public ConfigKey<T> validate(final Predicate<T> check, final String description) {
        return new ConfigKey<>(name, type, parser, defaultValue, required, secret, check, description, doc);
    }

    public ConfigKey<Integer> range(final int min, final int max) {
        if (!"int".equals(type)) {
            throw new IllegalStateException("range on non-int key " + name);
        }
        @SuppressWarnings("unchecked")
        final ConfigKey<Integer> self = (ConfigKey<Integer>) this;
        return self.validate(i -> i >= min && i <= max, "between " + min + " and " + max);
    }

    /**
     * Parses and validates {@code raw}.
     *
     * @throws ConfigException naming this key when the value does not parse or validate
     */
    public T parse(final String raw) {
        final T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(this, "'" + shown(raw) + "' is not a valid " + type
                    + (constraint == null ? "" : " (" + constraint + ")"));
        }
        if (!validator.test(value)) {
            throw new ConfigException(this, "'" + shown(raw) + "' must be " + constraint);
        }
        return value;
    }

    private String shown(final String raw) {
        return secret ? "****" : raw;
    }

    public String name() {
        return name;
    }

    public String envName() {
        return "AIOPS_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String systemProperty() {
        return "aiops." + name;
    }

    public String type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isSecret() {
        return secret;
    }

    public String doc() {
        return doc;
    }

    @Override
    public String toString() {
        return envName();
    }

    private static Boolean parseBoolean(final String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return Boolean.TRUE;
            case "false", "no", "0", "off":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException(s);
        }
    }

    private static <E extends Enum<E>> String lowerNames(final Class<E> type) {
        final StringBuilder names = new StringBuilder();
        for (final E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return names.toString();
    }
}
