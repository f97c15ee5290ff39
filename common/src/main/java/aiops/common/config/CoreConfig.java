package aiops.common.config;

import java.util.List;

/** Keys every aiops process reads. Module-specific keys live beside their module. */
public final class CoreConfig {

    public static final ConfigKey<String> HOME = ConfigKey.string("home",
            "Directory for embedded data (Kafka log, PostgreSQL, registry) and local state.").defaultValue("./.aiops");
    public static final ConfigKey<String> HTTP_HOST = ConfigKey.string("http.host",
            "Address the HTTP API binds to. Use 0.0.0.0 in containers.").defaultValue("127.0.0.1");
    public static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("http.port",
            "Port of the HTTP API (webhooks, health, metrics); 0 picks a free port.").defaultValue("8080").range(0, 65535);
    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.string("kafka.bootstrap.servers",
            "Kafka bootstrap servers, host:port[,host:port]. Other Kafka client settings (security, SASL) go in the "
                    + "properties file as kafka.<client setting>.").required()
            .validate(s -> s.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*"), "a comma-separated list of host:port");
    public static final ConfigKey<String> REGISTRY_URL = ConfigKey.string("registry.url",
            "Apicurio Registry v3 API, e.g. http://registry:8080/apis/registry/v3.").required()
            .validate(s -> s.startsWith("http://") || s.startsWith("https://"), "an http(s) URL");
    public static final ConfigKey<String> POSTGRES_URL = ConfigKey.string("postgres.url",
            "JDBC URL of PostgreSQL, e.g. jdbc:postgresql://db:5432/aiops.")
            .validate(s -> s.startsWith("jdbc:postgresql:"), "a jdbc:postgresql: URL");
    public static final ConfigKey<String> POSTGRES_USER = ConfigKey.string("postgres.user",
            "PostgreSQL user.").defaultValue("aiops");
    public static final ConfigKey<String> POSTGRES_PASSWORD = ConfigKey.string("postgres.password",
            "PostgreSQL password.").secret();
    public static final ConfigKey<Integer> TOPIC_REPLICATION_FACTOR = ConfigKey.integer("topic.replication.factor",
            "Replication factor for topics created by aiops topics create; -1 uses the broker default.")
            .defaultValue("-1").validate(i -> i == -1 || (i >= 1 && i <= 7), "-1 or between 1 and 7");
    public static final ConfigKey<String> BOOTSTRAP_ADMIN_KEY = ConfigKey.string("bootstrap.admin.key",
            "If set, an admin API key with exactly this value is ensured at start.").secret()
            .validate(s -> s.length() >= 24, "at least 24 characters");
    public static final ConfigKey<LogFormat> LOG_FORMAT = ConfigKey.oneOf("log.format", LogFormat.class,
            "Log line format on stderr.").defaultValue("json");

    // Embedded mode only.
    public static final ConfigKey<String> REGISTRY_JAVA = ConfigKey.string("registry.java",
            "Embedded mode: java executable (or JDK home) of Java 21+ used to run the registry; "
                    + "default: first 21+ JDK under /usr/lib/jvm, else this JVM if it is 21+.");
    public static final ConfigKey<String> REGISTRY_ARCHIVE = ConfigKey.string("registry.archive",
            "Embedded mode: apicurio-registry-app all.tar.gz; default: the copy in the local Maven repository.");
    public static final ConfigKey<Integer> EMBEDDED_KAFKA_PORT = ConfigKey.integer("embedded.kafka.port",
            "Embedded mode: Kafka listener port; 0 picks a free port.").defaultValue("0").range(0, 65535);

    /** Keys every standalone processor needs. */
    public static final List<ConfigKey<?>> PROCESSOR_KEYS = List.of(
            HTTP_HOST, HTTP_PORT, KAFKA_BOOTSTRAP_SERVERS, REGISTRY_URL, TOPIC_REPLICATION_FACTOR, LOG_FORMAT);

    /** Keys of the embedded all-in-one mode. */
    public static final List<ConfigKey<?>> EMBEDDED_KEYS = List.of(
            HOME, HTTP_HOST, HTTP_PORT, BOOTSTRAP_ADMIN_KEY, LOG_FORMAT, REGISTRY_JAVA, REGISTRY_ARCHIVE,
            EMBEDDED_KAFKA_PORT);

    /** Every key, for documentation and aiops config check. */
    public static final List<ConfigKey<?>> ALL = List.of(
            HOME, HTTP_HOST, HTTP_PORT, KAFKA_BOOTSTRAP_SERVERS, REGISTRY_URL, POSTGRES_URL, POSTGRES_USER,
            POSTGRES_PASSWORD, TOPIC_REPLICATION_FACTOR, BOOTSTRAP_ADMIN_KEY, LOG_FORMAT, REGISTRY_JAVA,
            REGISTRY_ARCHIVE, EMBEDDED_KAFKA_PORT);

    private CoreConfig() {
    }

    /** Log line formats. */
    public enum LogFormat {
        /** One JSON object per line with trace ids; for collectors. */
        JSON,
        /** Human-readable lines; for terminals. */
        TEXT
    }
}
