package aiops.common.kafka;

import aiops.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the catalogue's topics; existing topics are left as they are. */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /** What {@link #ensureTopics} did. */
    public record Result(List<String> created, List<String> existing) {
        public int total() {
            return created.size() + existing.size();
        }
    }

    /**
     * Creates every topic in {@code topics} that does not exist yet.
     *
     * @param replicationFactor -1 for the broker default
     */
    public static Result ensureTopics(final Admin admin, final List<TopicSpec<?>> topics, final int replicationFactor)
            throws InterruptedException {
        try {
            final Set<String> present = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            final List<String> existing = new ArrayList<>();
            for (final TopicSpec<?> spec : topics) {
                if (present.contains(spec.name())) {
                    existing.add(spec.name());
                } else {
                    missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()),
                            replicationFactor < 1 ? Optional.empty() : Optional.of((short) replicationFactor))
                            .configs(Map.copyOf(spec.brokerConfig())));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            return new Result(missing.stream().map(NewTopic::name).toList(), existing);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("could not create topics: " + rootMessage(e), e);
        }
    }

    static String rootMessage(final Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
