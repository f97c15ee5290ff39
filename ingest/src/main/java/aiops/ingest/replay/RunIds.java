package aiops.ingest.replay;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Replay run ids: short, printable, safe in headers, state-store keys and file names. */
public final class RunIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code id} */
    public static String validate(final String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("run id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return id;
    }

    public static String generate(final Instant now) {
        return "replay-" + STAMP.format(now) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** The run of one scenario inside a folder replay: {@code <base>.<scenario>}, shortened to fit. */
    public static String child(final String base, final String scenario) {
        final String cleaned = scenario.replaceAll("[^A-Za-z0-9._-]", "_");
        final String id = base + "." + cleaned;
        return validate(id.length() <= 64 ? id : id.substring(0, 64));
    }

    /** True when {@code runId} is {@code base} itself or one of its scenario runs. */
    public static boolean belongsTo(final String runId, final String base) {
        return runId != null && (runId.equals(base) || runId.startsWith(base + "."));
    }
}
