package aiops.schemas;

import com.microsoft.kiota.ApiException;
import io.vertx.core.VertxException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a record that cannot be decoded because the registry could not be asked from one that cannot be decoded at
 * all. The first is a fault to wait out (the record is fine and must not go to the DLQ); the second is poison.
 */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /**
     * True when {@code failure} was caused by the registry being unreachable, silent, overloaded or failing (5xx, 429),
     * or by the lookup being interrupted; false for bytes that are not a record of a known schema.
     */
    public static boolean isUnavailable(final Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof SocketException || t instanceof UnknownHostException || t instanceof HttpTimeoutException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof InterruptedException || t instanceof VertxException) {
                return true;
            }
            if (t instanceof ApiException api) {
                final int status = api.getResponseStatusCode();
                return status >= 500 || status == 429 || status == 0;
            }
        }
        return false;
    }
}
