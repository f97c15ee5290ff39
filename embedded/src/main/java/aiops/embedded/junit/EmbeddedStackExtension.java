package aiops.embedded.junit;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.TopicAdmin;
import aiops.embedded.EmbeddedStack;
import aiops.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests a real Kafka broker, PostgreSQL and schema registry, started once per test JVM and
 * stopped when the JVM's tests are done. Every catalogue topic exists. Tests take it as a parameter:
 * <pre>{@code @ExtendWith(EmbeddedStackExtension.class) class FooIT { @Test void x(EmbeddedStack stack) {...} }}</pre>
 * Tests that write must use their own keys, groups or topics: the stack is shared.
 */
public final class EmbeddedStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final String KEY = EmbeddedStackExtension.class.getName();

    @Override
    public void beforeAll(final ExtensionContext context) {
        shared(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedStack.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return shared(context).stack;
    }

    private static Resource shared(final ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> Resource.start(), Resource.class);
    }

    /** The running stack and its directory; closing it stops the stack and deletes the directory. */
    static final class Resource implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        final EmbeddedStack stack;
        final Path home;

        private Resource(final EmbeddedStack stack, final Path home) {
            this.stack = stack;
            this.home = home;
        }

        static Resource start() {
            try {
                final Path home = Files.createTempDirectory("aiops-it-");
                final AiopsConfig config = AiopsConfig.of(Map.of(), new Properties(), null)
                        .with(CoreConfig.HOME, home.toString());
                final EmbeddedStack stack = EmbeddedStack.start(config);
                try (Admin admin = Admin.create(stack.kafkaSettings().adminProps())) {
                    TopicAdmin.ensureTopics(admin, Topics.ALL, 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return new Resource(stack, home);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            stack.close();
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
