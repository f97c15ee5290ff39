package aiops.analyzer.llm;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/** A non-2xx answer from an LLM provider, with the wait it asked for in {@code Retry-After}, if any. */
public final class ProviderHttpException extends HttpException {

    private final Duration retryAfter;

    public ProviderHttpException(final int statusCode, final String body, final Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
