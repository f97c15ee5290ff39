package aiops.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one server), from the
 * {@code kafka_2.13} artifact. Restarting on the same log directory keeps topics, records, transactions and
 * group offsets, which is what lets tests kill and restart the pipeline.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(final Path logDir, final int port, final int controllerPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker storing its data in {@code logDir}; port 0 picks a free one. */
    public static EmbeddedKafka start(final Path logDir, final int port) {
        final EmbeddedKafka kafka = new EmbeddedKafka(logDir, Ports.orFree(port), Ports.freePort());
        kafka.startServer();
        return kafka;
    }

    /** Starts again on the same directory and port after {@link #close()}; data written before is still there. */
    public void restart() {
        if (server != null) {
            throw new IllegalStateException("broker is running");
        }
        startServer();
    }

    private void startServer() {
        guardAgainstJvmExit();
        final KafkaConfig config = KafkaConfig.fromProps(brokerProperties());
        format();
        final KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            candidate.startup();
        } catch (RuntimeException e) {
            candidate.shutdown();
            candidate.awaitShutdown();
            throw new IllegalStateException("Kafka broker did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        server = candidate;
        LOG.info("Kafka broker ready at {} (data in {})", bootstrapServers(), logDir);
    }

    private Properties brokerProperties() {
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // A single node: internal topics cannot have more than one replica, or consumers and transactions stall.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        // Kafka's default is 128 MiB of heap. 2 MiB held only ~87k keys per cleaning pass, so compacting a changelog of
        // a million fingerprints took a dozen passes that competed with the stream thread; 32 MiB takes one or two.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024));
        props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return props;
    }

    private void format() {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** Kafka halts the JVM on some fatal start errors; in an embedded broker that must be an exception instead. */
    private static void guardAgainstJvmExit() {
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka tried to halt the JVM (" + status + "): " + message);
        });
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka tried to exit the JVM (" + status + "): " + message);
        });
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    public boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka broker at 127.0.0.1:{} stopped", port);
    }
}
