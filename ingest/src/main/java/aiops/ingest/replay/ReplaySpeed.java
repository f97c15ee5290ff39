package aiops.ingest.replay;

import java.time.Duration;
import java.util.Locale;

/** {@code max}, or how many times faster than it happened. */
public record ReplaySpeed(double factor) {

    public static final ReplaySpeed MAX = new ReplaySpeed(Double.POSITIVE_INFINITY);

    /** @throws IllegalArgumentException for anything but {@code max} or a positive number */
    public static ReplaySpeed parse(final String text) {
        if (text == null || text.isBlank() || "max".equalsIgnoreCase(text.trim())) {
            return MAX;
        }
        try {
            final double f = Double.parseDouble(text.trim());
            if (f > 0 && f <= 1_000_000 && !Double.isNaN(f)) {
                return new ReplaySpeed(f);
            }
        } catch (final NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("speed '" + text + "' must be 'max' or a number above 0 (10 = ten times faster)");
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    /** When a signal {@code offset} after the first one is due, counted from the start of the replay. */
    public Duration due(final Duration offset) {
        return isMax() ? Duration.ZERO : Duration.ofNanos((long) (offset.toNanos() / factor));
    }

    @Override
    public String toString() {
        return isMax() ? "max" : (factor == Math.rint(factor) ? Long.toString((long) factor)
                : String.format(Locale.ROOT, "%s", factor));
    }
}
