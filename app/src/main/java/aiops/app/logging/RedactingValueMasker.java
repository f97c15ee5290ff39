package aiops.app.logging;

import aiops.common.redact.Redactor;
import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/** Runs every string of a JSON log line (message, arguments, stack trace) through the same scrubber as LLM prompts. */
public final class RedactingValueMasker implements ValueMasker {

    @Override
    public Object mask(final JsonStreamContext context, final Object value) {
        if (value instanceof CharSequence text) {
            final String original = text.toString();
            final String redacted = Redactor.redact(original);
            return redacted.equals(original) ? null : redacted;
        }
        return null;
    }
}
