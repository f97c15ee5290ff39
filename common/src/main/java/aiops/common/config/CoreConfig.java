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

    public static final ConfigKey<Boolean> METRICS_PUBLIC = ConfigKey.bool("metrics.public",
            "Serve /metrics without authentication (for a Prometheus scraper inside a trusted network).")
            .defaultValue("false");
    public static final ConfigKey<String> CORS_ORIGINS = ConfigKey.string("cors.origins",
            "Comma-separated browser origins allowed to call the API (CORS); none by default.");
    public static final ConfigKey<Integer> HTTP_MAX_BODY_BYTES = ConfigKey.integer("http.max.body.bytes",
            "Largest accepted request body; larger requests get 413.").defaultValue("1048576").range(1024, 64 * 1024 * 1024);
    public static final ConfigKey<Integer> RATE_LIMIT_PER_MINUTE = ConfigKey.integer("rate.limit.per.minute",
            "Requests per minute per API key, for keys without their own limit.").defaultValue("60000")
            .range(1, 100_000_000);
    public static final ConfigKey<String> WEBHOOK_HMAC_SECRETS = ConfigKey.string("webhook.hmac.secrets",
            "Per-source HMAC secrets, source=secret[,source=secret]; a source listed here must sign its requests.")
            .secret().validate(s -> s.matches("\\s*[a-z]+=[^,]+(\\s*,\\s*[a-z]+=[^,]+)*\\s*"),
                    "source=secret[,source=secret]");
    public static final ConfigKey<String> JWT_SECRET = ConfigKey.string("jwt.secret",
            "Secret (at least 32 characters) signing admin tokens; default: random per process.").secret()
            .validate(s -> s.length() >= 32, "at least 32 characters");

    // Embedded mode only.
    public static final ConfigKey<String> REGISTRY_JAVA = ConfigKey.string("registry.java",
            "Embedded mode: java executable (or JDK home) of Java 21+ used to run the registry; "
                    + "default: first 21+ JDK under /usr/lib/jvm, else this JVM if it is 21+.");
    public static final ConfigKey<String> REGISTRY_ARCHIVE = ConfigKey.string("registry.archive",
            "Embedded mode: apicurio-registry-app all.tar.gz; default: the copy in the local Maven repository.");
    public static final ConfigKey<Integer> EMBEDDED_KAFKA_PORT = ConfigKey.integer("embedded.kafka.port",
            "Embedded mode: Kafka listener port; 0 picks a free port.").defaultValue("0").range(0, 65535);

    /** Keys of the HTTP API. */
    public static final List<ConfigKey<?>> HTTP_KEYS = List.of(
            HTTP_HOST, HTTP_PORT, METRICS_PUBLIC, CORS_ORIGINS, HTTP_MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE,
            WEBHOOK_HMAC_SECRETS, JWT_SECRET);

    /** Keys every standalone processor needs. */
    public static final List<ConfigKey<?>> PROCESSOR_KEYS = List.of(
            HTTP_HOST, HTTP_PORT, KAFKA_BOOTSTRAP_SERVERS, REGISTRY_URL, TOPIC_REPLICATION_FACTOR, LOG_FORMAT,
            METRICS_PUBLIC, CORS_ORIGINS, HTTP_MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE, WEBHOOK_HMAC_SECRETS, JWT_SECRET);

    /** Keys of the embedded all-in-one mode. */
    public static final List<ConfigKey<?>> EMBEDDED_KEYS = List.of(
            HOME, HTTP_HOST, HTTP_PORT, BOOTSTRAP_ADMIN_KEY, LOG_FORMAT, REGISTRY_JAVA, REGISTRY_ARCHIVE,
            EMBEDDED_KAFKA_PORT, METRICS_PUBLIC, CORS_ORIGINS, HTTP_MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE,
            WEBHOOK_HMAC_SECRETS, JWT_SECRET);

    /** Every key, for documentation and aiops config check. */
    public static final List<ConfigKey<?>> ALL = List.of(
            HOME, HTTP_HOST, HTTP_PORT, KAFKA_BOOTSTRAP_SERVERS, REGISTRY_URL, POSTGRES_URL, POSTGRES_USER,
            POSTGRES_PASSWORD, TOPIC_REPLICATION_FACTOR, BOOTSTRAP_ADMIN_KEY, LOG_FORMAT, METRICS_PUBLIC,
            CORS_ORIGINS, HTTP_MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE, WEBHOOK_HMAC_SECRETS, JWT_SECRET, REGISTRY_JAVA,
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

    /** This host's name ({@code HOSTNAME}, the pod name in Kubernetes), the default of per-instance ids. */
    public static String hostName() {
        final String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (final java.net.UnknownHostException e) {
            return "aiops";
        }
    }
}
