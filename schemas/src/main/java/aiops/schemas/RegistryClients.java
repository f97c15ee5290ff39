package aiops.schemas;

import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.DefaultVertxInstance;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.client.common.auth.VertXAuthFactory;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeFactory;
import io.apicurio.registry.resolver.client.RegistryClientFacadeImpl;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One registry client per registry configuration and process, shared by every serde built from that configuration.
 *
 * <p>Apicurio's schema resolver builds an HTTP client when a serde is configured and never closes it, so each serde
 * left a keep-alive connection to the registry open for good. A reader that builds a serde per call (a topic snapshot
 * polled twice a second) piled up hundreds of them until the registry hit its open-file limit and stopped answering,
 * and a serializer then waited on it forever. Sharing the client keeps the connections to its small pool.
 *
 * <p>The client has no request timeout either. For a plain registry (no OAuth, custom TLS or proxy settings) the
 * client is built here on a connection that is closed after {@value #DEFAULT_IDLE_TIMEOUT_MS} ms without a byte in
 * either direction, which fails a request a hung registry never answers, and {@link RetryingRegistryClient} retries
 * calls whose connection was refused or dropped; other set-ups keep Apicurio's own client, which waits.
 */
final class RegistryClients {

    /** Registry-config key: milliseconds of silence after which a registry connection is closed. */
    static final String IDLE_TIMEOUT_MS = "aiops.registry.idle-timeout-ms";
    static final int DEFAULT_IDLE_TIMEOUT_MS = 15_000;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private static final ConcurrentMap<Map<String, String>, RegistryClientFacade> SHARED = new ConcurrentHashMap<>();

    private RegistryClients() {
    }

    /** The client for {@code registryConfig}'s {@code apicurio.registry.*} settings, built on first use. */
    static RegistryClientFacade forConfig(final Map<String, ?> registryConfig) {
        return SHARED.computeIfAbsent(clientSettings(registryConfig),
                settings -> build(new SchemaResolverConfig(new HashMap<>(registryConfig)), idleTimeout(registryConfig)));
    }

    private static RegistryClientFacade build(final SchemaResolverConfig config, final int idleTimeoutMs) {
        final boolean plain = config.getTokenEndpoint() == null && config.getTlsTruststoreLocation() == null
                && config.getTlsCertificates() == null && !config.getTlsTrustAll() && config.getTlsVerifyHost()
                && config.getProxyHost() == null && config.getVertx() == null
                && config.getRegistryUrl() != null && config.getRegistryUrl().contains("/apis/registry/v3");
        if (!plain) {
            return RegistryClientFacadeFactory.create(config);
        }
        final Vertx vertx = DefaultVertxInstance.get();
        final WebClientOptions options = new WebClientOptions();
        options.setSsl(config.getRegistryUrl().startsWith("https"));
        options.setConnectTimeout(CONNECT_TIMEOUT_MS);
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        options.setIdleTimeout(idleTimeoutMs);
        final WebClient web = config.getAuthUsername() == null ? WebClient.create(vertx, options)
                : VertXAuthFactory.buildSimpleAuthWebClient(vertx, options, config.getAuthUsername(),
                config.getAuthPassword());
        return RetryingRegistryClient.wrap(new RegistryClientFacadeImpl(RegistryClientFactory.create(
                RegistryClientOptions.create(config.getRegistryUrl(), vertx).customWebClient(web))));
    }

    private static int idleTimeout(final Map<String, ?> registryConfig) {
        final Object value = registryConfig.get(IDLE_TIMEOUT_MS);
        return value == null ? DEFAULT_IDLE_TIMEOUT_MS : Integer.parseInt(value.toString());
    }

    /** How many distinct clients this process holds; one per registry configuration in use. */
    static int count() {
        return SHARED.size();
    }

    /** The settings that shape the client: url, auth, TLS, proxy and adapter entries, as text. */
    static Map<String, String> clientSettings(final Map<String, ?> registryConfig) {
        final Map<String, String> settings = new TreeMap<>();
        registryConfig.forEach((key, value) -> {
            if ((key.startsWith("apicurio.registry.") || key.equals(IDLE_TIMEOUT_MS)) && value != null) {
                settings.put(key, value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                        ? value.toString() : value.getClass().getName() + "@" + System.identityHashCode(value));
            }
        });
        return Map.copyOf(settings);
    }
}
