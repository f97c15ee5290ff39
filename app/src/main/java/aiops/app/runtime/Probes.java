package aiops.app.runtime;

import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Readiness checks against the real dependencies: Kafka answers, PostgreSQL answers, the registry answers.
 * Closing it releases the Kafka admin client the checks use.
 */
public final class Probes implements AutoCloseable {

    private final Admin admin;
    private final Readiness readiness;

    private Probes(final Admin admin, final Readiness readiness) {
        this.admin = admin;
        this.readiness = readiness;
    }

    public Readiness readiness() {
        return readiness;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    public static Probes of(final EmbeddedRuntime runtime) {
        return of(runtime.kafka(), runtime.dataSource());
    }

    public static Probes of(final KafkaSettings kafka, final DataSource dataSource) {
        final Admin admin = Admin.create(kafka.adminProps());
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpRequest registryInfo = HttpRequest.newBuilder(URI.create(kafka.registryUrl() + "/system/info"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        return new Probes(admin, new Readiness()
                .add("kafka", () -> {
                    try {
                        return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                                .get(3, TimeUnit.SECONDS).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                })
                .add("postgres", () -> {
                    try (Connection c = dataSource.getConnection()) {
                        return c.isValid(2);
                    } catch (Exception e) {
                        return false;
                    }
                })
                .add("registry", () -> {
                    try {
                        return http.send(registryInfo, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                }));
    }
}
