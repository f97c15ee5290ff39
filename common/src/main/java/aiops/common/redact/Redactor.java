package aiops.common.redact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets and personal data from text before it leaves the process (LLM prompts) or reaches a log line.
 * Each distinct secret becomes a placeholder such as {@code [REDACTED:aws_access_key:1]}, numbered per
 * {@link Scrubber} in order of first appearance, so the same text always redacts to the same output and repeated
 * secrets stay recognisable as "the same value" without being revealed.
 */
public final class Redactor {

    /**
     * One kind of secret; {@code group} is the part of the match that is secret (0 = all of it). {@code hint} is a
     * substring (lower case) every match contains: text without it skips the regular expression, which keeps the
     * scrubber cheap enough to run on every log line.
     */
    private record Rule(String kind, String hint, Pattern pattern, int group) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("private_key", "private key-----", Pattern.compile(
                    "-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]{0,20}PRIVATE KEY-----|\\z)"), 0),
            new Rule("jwt", "eyj", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{8,}"), 0),
            new Rule("aws_access_key", "a", Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\\b"), 0),
            new Rule("github_token", "_", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\\b"), 0),
            new Rule("slack_token", "xox", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
            new Rule("slack_webhook", "hooks.slack.com", Pattern.compile("https://hooks\\.slack\\.com/services/[A-Za-z0-9/_-]+"), 0),
            new Rule("bearer_token", "bearer", Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/=-]{8,})"), 1),
            new Rule("url_password", "://", Pattern.compile("://[^\\s:/@]{1,256}:([^\\s@/]{1,256})@"), 1),
            new Rule("secret_value", "", Pattern.compile("(?i)(?:password|passwd|pwd|secret|token(?!s)|api[_-]?key|access[_-]?key"
                    + "|private[_-]?key|credentials?|auth[_-]?token|authorization)[a-z0-9_.-]{0,20}[\"']?[ \\t]*[:=][ \\t]*"
                    + "[\"']?([^\\s\"',;&}]{3,})"), 1),
            new Rule("email", "@", Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*"
                    + "\\.[A-Za-z]{2,24}\\b"), 0));

    private static final Pattern CANDIDATE = Pattern.compile("[A-Za-z0-9+/_=-]{24,}");
    private static final double MIN_ENTROPY_BITS = 3.8;

    private Redactor() {
    }

    /** Redacts one piece of text on its own. */
    public static String redact(final String text) {
        return new Scrubber().scrub(text);
    }

    /** Redacts many pieces of text with one placeholder numbering, e.g. every field of one prompt. */
    public static final class Scrubber {
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private final Map<String, Integer> counters = new LinkedHashMap<>();

        public String scrub(final String text) {
            if (text == null || text.isEmpty()) {
                return text;
            }
            String out = text;
            final String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (final Rule rule : RULES) {
                if (lower.contains(rule.hint())) {
                    out = apply(rule, out);
                }
            }
            return highEntropy(out);
        }

        /** How many distinct secrets were replaced so far. */
        public int redactions() {
            return placeholders.size();
        }

        private String apply(final Rule rule, final String text) {
            final Matcher m = rule.pattern().matcher(text);
            if (!m.find()) {
                return text;
            }
            final StringBuilder out = new StringBuilder(text.length());
            int last = 0;
            do {
                final int start = m.start(rule.group());
                final int end = m.end(rule.group());
                final String secret = m.group(rule.group());
                if (secret.startsWith("[REDACTED:") || insidePlaceholder(text, m.start())) {
                    continue;
                }
                out.append(text, last, start).append(placeholder(rule.kind(), secret));
                last = end;
            } while (m.find());
            return out.append(text, last, text.length()).toString();
        }

        private static boolean insidePlaceholder(final String text, final int at) {
            return text.lastIndexOf("[REDACTED:", at) > text.lastIndexOf(']', at - 1);
        }

        private String highEntropy(final String text) {
            final Matcher m = CANDIDATE.matcher(text);
            final StringBuilder out = new StringBuilder(text.length());
            int last = 0;
            while (m.find()) {
                final String token = m.group();
                if (randomSegment(token)) {
                    out.append(text, last, m.start()).append(placeholder("high_entropy", token));
                    last = m.end();
                }
            }
            return last == 0 ? text : out.append(text, last, text.length()).toString();
        }

        private String placeholder(final String kind, final String secret) {
            return placeholders.computeIfAbsent(kind + '\0' + secret, k -> {
                final int n = counters.merge(kind, 1, Integer::sum);
                return "[REDACTED:" + kind + ":" + n + "]";
            });
        }
    }

    /**
     * True when a hyphen, underscore or dot separated part of the token is itself 20+ characters of random-looking
     * text: {@code sk-proj-<key>} is, {@code my-app-5e3a4c1b-StreamThread-1-consumer} is not.
     */
    static boolean randomSegment(final String token) {
        for (final String part : token.split("[-_.]")) {
            if (part.length() >= 20 && looksRandom(part)) {
                return true;
            }
        }
        return false;
    }

    /** Mixed-case letters and digits with high Shannon entropy: keys and tokens, not words, hex ids or pod names. */
    static boolean looksRandom(final String token) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        final int[] counts = new int[128];
        for (int i = 0; i < token.length(); i++) {
            final char c = token.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digit |= Character.isDigit(c);
            counts[c & 0x7f]++;
        }
        if (!(upper && lower && digit)) {
            return false;
        }
        double entropy = 0;
        for (final int c : counts) {
            if (c > 0) {
                final double p = (double) c / token.length();
                entropy -= p * (Math.log(p) / Math.log(2));
            }
        }
        return entropy >= MIN_ENTROPY_BITS;
    }
}
