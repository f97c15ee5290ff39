package aiops.schemas;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A registry client that retries a call whose connection was refused, reset or closed before the answer came.
 *
 * <p>Apicurio's client is meant to retry those itself ({@code RegistryClientOptions.retry()}), but it only looks at
 * the exception it catches, and the Vert.x request adapter wraps every transport failure in a
 * {@code RuntimeException(ExecutionException(...))}: the retry never fires, and one connection the registry drops
 * (a freshly started one did so on its first schema registration) fails a producer's send. Every call is safe to
 * repeat: lookups read, and a registration with {@code FIND_OR_CREATE_VERSION} finds the version an earlier attempt
 * created.
 */
final class RetryingRegistryClient {

    static final int ATTEMPTS = 3;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private RetryingRegistryClient() {
    }

    static RegistryClientFacade wrap(final RegistryClientFacade client) {
        final Retry retry = Retry.of("schema-registry", RetryConfig.custom()
                .maxAttempts(ATTEMPTS)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(FIRST_BACKOFF, 2.0))
                .retryOnException(transportFailure())
                .build());
        return (RegistryClientFacade) Proxy.newProxyInstance(RegistryClientFacade.class.getClassLoader(),
                new Class<?>[] {RegistryClientFacade.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(client, args);
                    }
                    return retry.executeCallable(() -> {
                        try {
                            return method.invoke(client, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause() instanceof Exception cause ? cause : e;
                        }
                    });
                });
    }

    /** True when a failure's cause chain holds a refused, reset or closed connection: the registry never answered. */
    static Predicate<Throwable> transportFailure() {
        return failure -> {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof HttpClosedException || cause instanceof ConnectException
                        || cause instanceof IOException && cause.getMessage() != null
                        && cause.getMessage().contains("Connection reset")) {
                    return true;
                }
                if (cause.getCause() == cause) {
                    return false;
                }
            }
            return false;
        };
    }
}
