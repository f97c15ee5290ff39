package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each input record is a script of writes ({@code put k v}, {@code del k}, {@code count}) run against one write-behind
 * store; the driver commits after every input record, so the changelog shows what one commit wrote.
 */
class WriteBehindStoreTest {

    private static final String STORE = "write-behind-test";
    private static final String CHANGELOG = "write-behind-test-app-" + STORE + "-changelog";

    private final AtomicInteger serialised = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> scripts;
    private TestOutputTopic<String, String> counts;
    private TestOutputTopic<String, String> changelog;

    @BeforeEach
    void setUp() {
        final Serde<String> counting = Serdes.serdeFrom((topic, value) -> {
            serialised.incrementAndGet();
            return value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }, new StringDeserializer());
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(WriteBehindStore.over(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE),
                Serdes.String(), counting).withCachingDisabled()));
        builder.stream("scripts", Consumed.with(Serdes.String(), Serdes.String()))
                .process(ScriptRunner::new, STORE)
                .to("counts", Produced.with(Serdes.String(), Serdes.String()));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-behind-test-app");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        scripts = driver.createInputTopic("scripts", new StringSerializer(), new StringSerializer());
        counts = driver.createOutputTopic("counts", new StringDeserializer(), new StringDeserializer());
        changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldWriteAKeyOncePerCommitWithItsLastValue() {
        scripts.pipeInput("s", "put a 1;put a 2;put a 3;put b 1");

        assertThat(changelog.readKeyValuesToList()).containsExactlyInAnyOrder(KeyValue.pair("a", "3"), KeyValue.pair("b", "1"));
        assertThat(serialised).as("one serialisation per key, not per write").hasValue(2);
        assertThat(store().get("a")).isEqualTo("3");
    }

    @Test
    void shouldForgetAKeyWrittenAndDeletedBetweenTwoCommitsWithoutATombstone() {
        scripts.pipeInput("s", "put gone 1;put gone 2;del gone;put kept 1");

        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("kept", "1"));
        assertThat(store().get("gone")).isNull();
    }

    @Test
    void shouldWriteATombstoneForAKeyAnEarlierCommitWrote() {
        scripts.pipeInput("s", "put a 1");
        scripts.pipeInput("s", "put a 2;del a");

        assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("a", null));
        assertThat(store().get("a")).isNull();
    }

    @Test
    void shouldReadItsOwnWritesBeforeTheCommitAndFlushBeforeAScan() {
        scripts.pipeInput("s", "put a 1");
        scripts.pipeInput("s", "put b 1;del a;put c 1;count");

        assertThat(counts.readValuesToList()).as("the scan sees the uncommitted writes").containsExactly("b,c");
        assertThat(changelog.readKeyValuesToList()).containsExactlyInAnyOrder(KeyValue.pair("a", "1"),
                KeyValue.pair("a", null), KeyValue.pair("b", "1"), KeyValue.pair("c", "1"));
    }

    private KeyValueStore<String, String> store() {
        return driver.getKeyValueStore(STORE);
    }

    private static final class ScriptRunner implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> store;

        @Override
        public void init(final ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(final Record<String, String> record) {
            for (final String step : record.value().split(";")) {
                final List<String> words = List.of(step.split(" "));
                switch (words.get(0)) {
                    case "put" -> store.put(words.get(1), words.get(2));
                    case "del" -> assertThat(store.delete(words.get(1))).as("delete returns the value").isNotNull();
                    case "count" -> {
                        final StringBuilder keys = new StringBuilder();
                        try (KeyValueIterator<String, String> it = store.all()) {
                            it.forEachRemaining(kv -> keys.append(keys.isEmpty() ? "" : ",").append(kv.key));
                        }
                        context.forward(record.withValue(keys.toString()));
                    }
                    default -> throw new IllegalArgumentException(step);
                }
            }
        }
    }
}
