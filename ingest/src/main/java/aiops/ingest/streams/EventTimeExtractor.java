package aiops.ingest.streams;

import aiops.avro.AlertEvent;
import aiops.avro.EnrichedAlert;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time is the signal's own time, never when it arrived, so replays at any speed give the same incidents. */
public final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        final Object value = record.value();
        if (value instanceof AlertEvent a) {
            return a.getEventTime().toEpochMilli();
        }
        if (value instanceof EnrichedAlert e) {
            return e.getAlert().getEventTime().toEpochMilli();
        }
        if (value instanceof LogRecord l) {
            return l.getTimestamp().toEpochMilli();
        }
        if (value instanceof MetricWindow m) {
            return m.getWindowEnd().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
