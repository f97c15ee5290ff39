package aiops.schemas;

import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeFactory;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One registry client per registry configuration and process, shared by every serde built from that configuration.
 *
 * <p>Apicurio's schema resolver builds an HTTP client when a serde is configured and never closes it, so each serde
 * left a keep-alive connection to the registry open for good. A reader that builds a serde per call (a topic snapshot
 * polled twice a second) piled up hundreds of them until the registry hit its open-file limit and stopped answering,
 * and a serializer then waited on it forever. Sharing the client keeps the connections to its small pool.
 */
final class RegistryClients {

    private static final ConcurrentMap<Map<String, String>, RegistryClientFacade> SHARED = new ConcurrentHashMap<>();

    private RegistryClients() {
    }

    /** The client for {@code registryConfig}'s {@code apicurio.registry.*} settings, built on first use. */
    static RegistryClientFacade forConfig(final Map<String, ?> registryConfig) {
        return SHARED.computeIfAbsent(clientSettings(registryConfig),
                settings -> RegistryClientFacadeFactory.create(new SchemaResolverConfig(new HashMap<>(registryConfig))));
    }

    /** How many distinct clients this process holds; one per registry configuration in use. */
    static int count() {
        return SHARED.size();
    }

    /** The settings that shape the client: url, auth, TLS, proxy and adapter entries, as text. */
    static Map<String, String> clientSettings(final Map<String, ?> registryConfig) {
        final Map<String, String> settings = new TreeMap<>();
        registryConfig.forEach((key, value) -> {
            if (key.startsWith("apicurio.registry.") && value != null) {
                settings.put(key, value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                        ? value.toString() : value.getClass().getName() + "@" + System.identityHashCode(value));
            }
        });
        return Map.copyOf(settings);
    }
}
