package aiops.assistant.tools;

import aiops.common.auth.Principal;
import aiops.common.redact.Redactor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tools for both doors the same way: checks the caller's role, validates the arguments against the tool's
 * inputs, answers, scrubs every free-text value with the prompt redactor, cuts the output to the size cap (dropping
 * list items from the end and giving a cursor to the rest), and audits the call (a write also before it is made).
 */
public final class OpsToolbox {

    private static final Logger LOG = LoggerFactory.getLogger(OpsToolbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LONG_TEXT = 2_000;

    /** The answer of one call, as the JSON text handed to the client, and whether it is an error. */
    public record Outcome(String tool, String json, boolean error, List<ToolResult.Citation> citations) {
    }

    private final Map<String, ToolDef> tools = new LinkedHashMap<>();
    private final DataSource db;
    private final int maxChars;
    private final MeterRegistry metrics;

    public OpsToolbox(final List<ToolDef> tools, final DataSource db, final int maxChars, final MeterRegistry metrics) {
        tools.forEach(t -> this.tools.put(t.name(), t));
        this.db = db;
        this.maxChars = maxChars;
        this.metrics = metrics;
    }

    public List<ToolDef> tools() {
        return List.copyOf(tools.values());
    }

    public Optional<ToolDef> tool(final String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Outcome call(final String name, final Principal principal, final String door,
                        final Map<String, Object> rawArgs, final String traceParent) {
        final Map<String, Object> args = rawArgs == null ? Map.of() : rawArgs;
        final ToolDef tool = tools.get(name);
        if (tool == null) {
            return refuse(name, principal, door, args, "refused", "no tool named " + name + " is available here");
        }
        if (!principal.role().includes(tool.role())) {
            return refuse(name, principal, door, args, "refused", name + " needs the " + tool.role().wireName()
                    + " role; the key has " + principal.role().wireName());
        }
        try {
            final Map<String, Object> valid = validate(tool, args);
            // A write is recorded before it happens; one that cannot be recorded does not happen.
            if (tool.writes() && !audit(principal, door, name, args, "attempt", null)) {
                return refuse(name, principal, door, args, "error", "the call could not be audited, so it was not made");
            }
            final ToolResult result = tool.handler().call(new ToolCall(principal, door, valid, traceParent));
            final String json = fit(scrub(result.body()), result);
            audit(principal, door, name, args, "ok", null);
            metrics.counter("aiops.assistant.tool.calls", "tool", name, "door", door, "outcome", "ok").increment();
            return new Outcome(name, json, false, result.citations());
        } catch (final ToolInputException e) {
            return refuse(name, principal, door, args, "error", Redactor.redact(e.getMessage()));
        } catch (final Exception e) {
            LOG.error("tool {} failed", name, e);
            return refuse(name, principal, door, args, "error", "the tool could not answer; try again later");
        }
    }

    /** A call of a tool this door does not offer (the assistant's model asking for the write tool): refused and audited. */
    public Outcome unavailable(final String name, final Principal principal, final String door,
                               final Map<String, Object> args) {
        return refuse(name, principal, door, args, "refused", "no tool named " + name + " is available here");
    }

    private Outcome refuse(final String name, final Principal principal, final String door,
                           final Map<String, Object> args, final String outcome, final String message) {
        audit(principal, door, name, args, outcome, message);
        metrics.counter("aiops.assistant.tool.calls", "tool", tools.containsKey(name) ? name : "unknown", "door", door,
                "outcome", outcome).increment();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new Outcome(name, write(body), true, List.of());
    }

    static Map<String, Object> validate(final ToolDef tool, final Map<String, Object> args) throws ToolInputException {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final String key : args.keySet()) {
            if (tool.params().stream().noneMatch(p -> p.name().equals(key))) {
                throw new ToolInputException("unknown argument '" + key + "' for " + tool.name());
            }
        }
        for (final Param p : tool.params()) {
            final Object v = args.get(p.name());
            if (v == null) {
                if (p.required()) {
                    throw new ToolInputException("argument '" + p.name() + "' is required");
                }
                continue;
            }
            switch (p.type()) {
                case "integer" -> {
                    final long n;
                    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
                        n = num.longValue();
                    } else if (v instanceof String s && s.matches("-?\\d{1,9}")) {
                        n = Long.parseLong(s);
                    } else {
                        throw new ToolInputException("argument '" + p.name() + "' must be a whole number");
                    }
                    if ((p.min() != null && n < p.min()) || (p.max() != null && n > p.max())) {
                        throw new ToolInputException("argument '" + p.name() + "' must be between " + p.min()
                                + " and " + p.max());
                    }
                    out.put(p.name(), n);
                }
                case "boolean" -> {
                    if (!(v instanceof Boolean)) {
                        throw new ToolInputException("argument '" + p.name() + "' must be true or false");
                    }
                    out.put(p.name(), v);
                }
                default -> {
                    if (!(v instanceof String s) || s.length() > 4_000) {
                        throw new ToolInputException("argument '" + p.name() + "' must be a string of at most 4000"
                                + " characters");
                    }
                    if (!p.values().isEmpty() && !p.values().contains(s)) {
                        throw new ToolInputException("argument '" + p.name() + "' must be one of " + p.values());
                    }
                    out.put(p.name(), s);
                }
            }
        }
        return out;
    }

    /** Free text through the redactor; ids, cursors and times are left as they are (they are not secrets). */
    @SuppressWarnings("unchecked")
    static Object scrub(final Object value, final String key) {
        if (value instanceof Map<?, ?> m) {
            final Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, scrub(v, k)));
            return out;
        }
        if (value instanceof List<?> l) {
            final List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(scrub(v, key)));
            return out;
        }
        if (value instanceof String s && !structural(key)) {
            return Redactor.redact(s);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrub(final Map<String, Object> body) {
        return (Map<String, Object>) scrub(body, "");
    }

    private static boolean structural(final String key) {
        return key.equals("id") || key.endsWith("_id") || key.equals("fingerprint") || key.equals("next_cursor")
                || key.equals("at") || key.endsWith("_at") || key.equals("uri");
    }

    /** The JSON of {@code body}, within the cap: list items dropped from the end (with a cursor), then long texts cut. */
    @SuppressWarnings("unchecked")
    String fit(final Map<String, Object> body, final ToolResult result) {
        String json = write(body);
        if (json.length() <= maxChars) {
            return json;
        }
        final Object list = result.pagedList() == null ? null : body.get(result.pagedList());
        if (list instanceof List<?> items) {
            final List<Object> kept = new ArrayList<>(items);
            while (!kept.isEmpty() && json.length() > maxChars) {
                kept.remove(kept.size() - 1);
                body.put(result.pagedList(), kept);
                body.put("truncated", "output cut to " + maxChars + " characters; continue with next_cursor");
                body.put("next_cursor", Paging.cursor(result.offset() + Math.max(kept.size(), 1)));
                json = write(body);
            }
            if (json.length() <= maxChars) {
                return json;
            }
        }
        final Map<String, Object> cut = (Map<String, Object>) cutTexts(body);
        cut.put("truncated", "long texts cut to " + LONG_TEXT + " characters to fit " + maxChars + " characters");
        json = write(cut);
        if (json.length() <= maxChars) {
            return json;
        }
        final Map<String, Object> note = new LinkedHashMap<>();
        note.put("truncated", "the answer exceeds " + maxChars + " characters; ask for fewer items (limit)");
        return write(note);
    }

    @SuppressWarnings("unchecked")
    private static Object cutTexts(final Object value) {
        if (value instanceof Map<?, ?> m) {
            final Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, cutTexts(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(OpsToolbox::cutTexts).toList();
        }
        if (value instanceof String s && s.length() > LONG_TEXT) {
            return s.substring(0, LONG_TEXT) + " [cut]";
        }
        return value;
    }

    /** One audit row; false when it could not be written. */
    private boolean audit(final Principal principal, final String door, final String tool,
                          final Map<String, Object> args, final String outcome, final String detail) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("INSERT INTO assistant_audit"
                + " (principal_id, principal_name, role, door, tool, arguments, outcome, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
            st.setString(1, principal.id());
            st.setString(2, principal.name());
            st.setString(3, principal.role().wireName());
            st.setString(4, door);
            st.setString(5, tool.length() > 200 ? tool.substring(0, 200) : tool);
            st.setString(6, write(scrub(new LinkedHashMap<>(args))));
            st.setString(7, outcome);
            st.setString(8, detail);
            st.executeUpdate();
            return true;
        } catch (final SQLException e) {
            LOG.error("could not audit the {} call of {}: {}", tool, principal.id(), e.getMessage());
            return false;
        }
    }

    private static String write(final Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
