package aiops.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/** Field access on untrusted JSON that fails with the field's path, never with a NullPointerException. */
final class Json {

    /** RFC 3339, and also offsets without a colon ({@code +0000}) as PagerDuty documents them. */
    private static final DateTimeFormatter LENIENT_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XXX][XX][X]").toFormatter();
    /** Go's zero time, which Alertmanager and Grafana send for "not ended". */
    private static final String GO_ZERO_TIME_PREFIX = "0001-01-01";

    private Json() {
    }

    static JsonNode object(final JsonNode node, final String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidSignalException(path, "must be a JSON object");
        }
        return node;
    }

    static String text(final JsonNode parent, final String field, final String path) {
        final String value = optText(parent, field);
        if (value == null) {
            throw new InvalidSignalException(path + field, "is required");
        }
        return value;
    }

    static String optText(final JsonNode parent, final String field) {
        final JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw new InvalidSignalException(field, "must be a string");
        }
        final String value = node.asText();
        return value.isBlank() ? null : value;
    }

    static Instant instant(final JsonNode parent, final String field, final String path) {
        final Instant value = optInstant(parent, field, path);
        if (value == null) {
            throw new InvalidSignalException(path + field, "is required (RFC 3339 time)");
        }
        return value;
    }

    /** An optional time; Go's zero time counts as absent. Numbers are epoch seconds or, when large, milliseconds. */
    static Instant optInstant(final JsonNode parent, final String field, final String path) {
        final JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return epoch(node.isIntegralNumber() && node.canConvertToLong() ? node.asLong() : -1, node.asText(), path + field);
        }
        if (!node.isTextual()) {
            throw new InvalidSignalException(path + field, "must be an RFC 3339 time");
        }
        final String text = node.asText().trim();
        if (text.isEmpty() || text.startsWith(GO_ZERO_TIME_PREFIX)) {
            return null;
        }
        if (allDigits(text)) {
            return epoch(text.length() <= 15 ? Long.parseLong(text) : -1, text, path + field);
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, LENIENT_OFFSET).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidSignalException(path + field, "'" + abbreviate(text) + "' is not an RFC 3339 time");
            }
        }
    }

    private static boolean allDigits(final String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Largest clock skew accepted from a sender: later event times are refused rather than trusted. */
    static final java.time.Duration MAX_FUTURE_SKEW = java.time.Duration.ofHours(1);

    /**
     * @throws InvalidSignalException when {@code time} lies more than {@link #MAX_FUTURE_SKEW} after {@code now}
     */
    static Instant notInFuture(final Instant time, final Instant now, final String path) {
        if (time != null && time.isAfter(now.plus(MAX_FUTURE_SKEW))) {
            throw new InvalidSignalException(path, "'" + time + "' is more than an hour in the future");
        }
        return time;
    }

    /** Epoch seconds, or milliseconds when large, between 1970 and 2999; anything else names the field. */
    private static Instant epoch(final long n, final String raw, final String path) {
        if (n < 0 || n > 32_503_680_000_000L) {
            throw new InvalidSignalException(path, "'" + abbreviate(raw) + "' is not a time (RFC 3339 or epoch)");
        }
        return n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
    }

    /** A JSON object of scalars as a sorted string map; nested values are kept as their JSON text. */
    static Map<String, String> stringMap(final JsonNode parent, final String field, final String path) {
        final Map<String, String> out = new TreeMap<>();
        final JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new InvalidSignalException(path + field, "must be a JSON object");
        }
        final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return out;
    }

    static double number(final JsonNode parent, final String field, final String path) {
        final JsonNode node = parent.get(field);
        if (node == null || !node.isNumber()) {
            throw new InvalidSignalException(path + field, "is required and must be a number");
        }
        return node.asDouble();
    }

    /**
     * Applies {@code read} to a single object body, or to each object of an array body, with the path prefix
     * that errors should carry ({@code ""} or {@code "[i]."}).
     */
    static <T> List<T> eachObject(final JsonNode body, final BiFunction<JsonNode, String, T> read) {
        final List<T> out = new ArrayList<>();
        if (body != null && body.isArray()) {
            for (int i = 0; i < body.size(); i++) {
                out.add(read.apply(object(body.get(i), "[" + i + "]"), "[" + i + "]."));
            }
        } else {
            out.add(read.apply(object(body, "body"), ""));
        }
        return out;
    }

    static void putIfPresent(final Map<String, String> map, final String key, final String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static String abbreviate(final String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
