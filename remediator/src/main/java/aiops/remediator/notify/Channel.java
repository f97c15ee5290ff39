package aiops.remediator.notify;

import java.util.List;

/** Where notifications can go. Implementations throw {@link DeliveryException} for anything that is worth a retry. */
public interface Channel {

    /** {@code slack}, {@code webhook}, {@code email}, {@code feishu} or {@code log}. */
    String type();

    /** Recipients as recorded on the topic (addresses, or the channel name); never a secret URL. */
    List<String> recipients();

    void send(Message message) throws DeliveryException;

    /** A delivery that did not go through, with a reason fit for the audit record (no secrets). */
    final class DeliveryException extends Exception {
        private static final long serialVersionUID = 1L;

        public DeliveryException(final String message) {
            super(message);
        }
    }
}
