package aiops.app.logging;

import aiops.common.redact.Redactor;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %redactedMsg} for text logs: the message after the same scrubber as LLM prompts. */
public final class RedactingMessageConverter extends MessageConverter {

    @Override
    public String convert(final ILoggingEvent event) {
        return Redactor.redact(super.convert(event));
    }
}
