package aiops.ingest.streams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Drain-style log template mining for one service: a message is masked (numbers, ids, addresses, quoted values
 * become {@code <*>}), split into tokens, and matched against the templates of the same length and first token; at
 * half or more equal tokens it joins the most similar template, whose differing tokens become {@code <*>}; otherwise
 * it starts a new template. A template keeps the id it was born with (a hash of the service and its first masked
 * message), so the same logs give the same ids in every run. Public fields: the state is stored as JSON.
 */
public final class LogTemplates {

    static final String WILDCARD = "<*>";
    static final double SIMILARITY = 0.5;
    static final int MAX_TEMPLATES = 500;
    static final int MAX_TOKENS = 64;

    private static final Pattern[] MASKS = {
        Pattern.compile("\"[^\"]*\"|'[^']*'"),
        Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b"),
        Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b"),
        Pattern.compile("\\b0x[0-9a-fA-F]+\\b"),
        Pattern.compile("\\b(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{8,}\\b"),
        Pattern.compile("(?<![A-Za-z0-9])[-+]?\\d+(?:[.,]\\d+)*(?:ms|s|m|h|kb|mb|gb|%|b)?\\b"),
    };

    /** One template and its counts. */
    public static final class Template {
        public String id;
        public List<String> tokens = new ArrayList<>();
        public long count;
        public String level;
        public long windowStart;
        public long windowCount;
        public double baseline;
        public int windows;

        public String text() {
            return String.join(" ", tokens);
        }
    }

    /** What one message did: the template it joined, and whether that template is new. */
    public record Match(Template template, boolean created) {
    }

    public List<Template> templates = new ArrayList<>();

    static List<String> tokens(final String message) {
        String masked = message == null ? "" : message.strip();
        for (final Pattern mask : MASKS) {
            masked = mask.matcher(masked).replaceAll(WILDCARD);
        }
        final List<String> tokens = new ArrayList<>(Arrays.asList(masked.split("\\s+")));
        if (tokens.size() > MAX_TOKENS) {
            tokens.subList(MAX_TOKENS, tokens.size()).clear();
        }
        return tokens;
    }

    public Match add(final String service, final String message, final String level) {
        final List<String> tokens = tokens(message);
        Template best = null;
        double bestScore = -1;
        for (final Template t : templates) {
            if (t.tokens.size() != tokens.size()) {
                continue;
            }
            if (!t.tokens.get(0).equals(tokens.get(0)) && !t.tokens.get(0).equals(WILDCARD)) {
                continue;
            }
            final double score = similarity(t.tokens, tokens);
            if (score >= SIMILARITY && score > bestScore) {
                best = t;
                bestScore = score;
            }
        }
        if (best != null) {
            for (int i = 0; i < tokens.size(); i++) {
                if (!best.tokens.get(i).equals(tokens.get(i))) {
                    best.tokens.set(i, WILDCARD);
                }
            }
            best.count++;
            return new Match(best, false);
        }
        final Template created = new Template();
        created.id = "tpl-" + sha256(service + " " + String.join(" ", tokens)).substring(0, 12);
        created.tokens = tokens;
        created.count = 1;
        created.level = level;
        templates.add(created);
        if (templates.size() > MAX_TEMPLATES) {
            templates.sort(Comparator.comparingLong((Template t) -> -t.count));
            templates.subList(MAX_TEMPLATES, templates.size()).clear();
        }
        return new Match(created, true);
    }

    static double similarity(final List<String> template, final List<String> tokens) {
        int same = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (template.get(i).equals(tokens.get(i)) || template.get(i).equals(WILDCARD)) {
                same++;
            }
        }
        return (double) same / tokens.size();
    }

    private static String sha256(final String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
