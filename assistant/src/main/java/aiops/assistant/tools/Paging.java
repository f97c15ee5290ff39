package aiops.assistant.tools;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Offset paging behind opaque cursors: a list tool asks one row more than the page to know whether more follow. */
public record Paging(int offset, int limit) {

    public static Paging of(final ToolCall call) throws ToolInputException {
        return new Paging(decode(call.text("cursor")), call.integer("limit", 20));
    }

    public static String cursor(final int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int decode(final String cursor) throws ToolInputException {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            final String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("o:")) {
                final int offset = Integer.parseInt(text.substring(2));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (final IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ToolInputException("cursor is not one this server gave out");
    }

    /** Fetch size: one more than the page. */
    public int fetch() {
        return limit + 1;
    }

    /** Puts the page (at most {@code limit} rows) under {@code list} and a next_cursor when more rows exist. */
    public <T> List<T> fill(final Map<String, Object> body, final String list, final List<T> rows) {
        final List<T> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        body.put(list, page);
        body.put("next_cursor", rows.size() > limit ? cursor(offset + limit) : null);
        return page;
    }
}
