package aiops.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AiopsConfigTest {

    private static AiopsConfig env(final Map<String, String> env) {
        return AiopsConfig.of(env, new Properties(), null);
    }

    @Test
    void shouldDeriveEnvironmentNamesFromPropertyNames() {
        assertThat(CoreConfig.KAFKA_BOOTSTRAP_SERVERS.envName()).isEqualTo("AIOPS_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(CoreConfig.HTTP_PORT.systemProperty()).isEqualTo("aiops.http.port");
    }

    @Test
    void shouldUseTheDefaultWhenNothingIsSet() {
        assertThat(env(Map.of()).get(CoreConfig.HTTP_PORT)).isEqualTo(8080);
    }

    @Test
    void shouldNameTheKeyOfAValueThatDoesNotParse() {
        final AiopsConfig config = env(Map.of("AIOPS_HTTP_PORT", "eighty"));

        assertThatThrownBy(() -> config.get(CoreConfig.HTTP_PORT))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("AIOPS_HTTP_PORT"))
                .hasMessageContaining("'eighty' is not a valid int");
    }

    @Test
    void shouldNameTheKeyOfAValueOutOfRange() {
        assertThatThrownBy(() -> env(Map.of("AIOPS_HTTP_PORT", "70000")).get(CoreConfig.HTTP_PORT))
                .hasMessageContaining("AIOPS_HTTP_PORT").hasMessageContaining("between 0 and 65535");
    }

    @Test
    void shouldSayWhichRequiredKeyIsMissing() {
        assertThatThrownBy(() -> env(Map.of()).get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS))
                .hasMessage("AIOPS_KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers): is required but not set");
    }

    @Test
    void shouldNeverPrintASecretValue() {
        final AiopsConfig config = env(Map.of("AIOPS_BOOTSTRAP_ADMIN_KEY", "short-secret"));

        assertThatThrownBy(() -> config.get(CoreConfig.BOOTSTRAP_ADMIN_KEY))
                .hasMessageContaining("AIOPS_BOOTSTRAP_ADMIN_KEY").hasMessageNotContaining("short-secret");
    }

    @Test
    void shouldListEveryProblemAtOnce() {
        final AiopsConfig config = env(Map.of("AIOPS_HTTP_PORT", "x", "AIOPS_LOG_FORMAT", "xml"));

        final List<String> problems = config.check(List.of(CoreConfig.HTTP_PORT, CoreConfig.LOG_FORMAT,
                CoreConfig.KAFKA_BOOTSTRAP_SERVERS));

        assertThat(problems).hasSize(3);
        assertThat(problems.get(1)).contains("AIOPS_LOG_FORMAT");
    }

    @Test
    void shouldLetEnvironmentOverrideTheFileAndOverridesBeatBoth(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("aiops.properties");
        Files.writeString(file, "http.port=9000\nkafka.bootstrap.servers=file:9092\nkafka.security.protocol=SASL_SSL\n");
        final AiopsConfig config = AiopsConfig.of(Map.of("AIOPS_HTTP_PORT", "9100"), new Properties(), file);

        assertThat(config.get(CoreConfig.HTTP_PORT)).isEqualTo(9100);
        assertThat(config.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("file:9092");
        assertThat(config.with(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, "embedded:1").get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS))
                .isEqualTo("embedded:1");
        assertThat(config.passThrough("kafka.")).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldRefuseBootstrapServersWithoutPorts() {
        assertThatThrownBy(() -> env(Map.of("AIOPS_KAFKA_BOOTSTRAP_SERVERS", "broker1,broker2"))
                .get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS))
                .hasMessageContaining("host:port");
    }
}
