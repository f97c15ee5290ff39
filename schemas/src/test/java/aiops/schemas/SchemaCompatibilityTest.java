package aiops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every topic's value schema must read data written with the last released version of that schema
 * (BACKWARD compatibility), so consumers can be upgraded before producers. Released copies live in
 * {@code schemas/released/}; {@code aiops schemas release} style updates are a deliberate commit.
 */
class SchemaCompatibilityTest {

    static final Path RELEASED = Path.of("released");

    static List<TopicSpec<?>> avroTopics() {
        return Topics.ALL.stream().filter(t -> t.valueType() != null).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroTopics")
    void shouldReadDataWrittenWithTheLastReleasedSchema(final TopicSpec<?> topic) throws IOException {
        final Schema current = topic.valueSchema();
        final Path releasedFile = RELEASED.resolve(current.getName() + ".avsc");
        assertThat(releasedFile).as("released copy of %s", current.getName()).exists();
        final Schema released = new Schema.Parser().parse(Files.readString(releasedFile));

        final var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);

        assertThat(result.getType())
                .as("%s is not backward compatible with %s: %s", current.getName(), releasedFile,
                        result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void shouldFlagAFieldAddedWithoutDefaultAsIncompatible() throws IOException {
        final Schema released = new Schema.Parser().parse(Files.readString(RELEASED.resolve("AlertEvent.avsc")));
        final String withRequiredField = released.toString()
                .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},");
        final Schema changed = new Schema.Parser().parse(withRequiredField);

        final var result = SchemaCompatibility.checkReaderWriterCompatibility(changed, released);

        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void shouldKeepEveryTopicValueDocumented() {
        for (final TopicSpec<?> topic : avroTopics()) {
            final Schema schema = topic.valueSchema();
            assertThat(schema.getDoc()).as(schema.getName()).isNotBlank();
            schema.getFields().forEach(f ->
                    assertThat(f.doc()).as("%s.%s has no doc", schema.getName(), f.name()).isNotBlank());
        }
    }
}
