package aiops.forecast.model;

import java.util.Locale;

/** The models a series can be forecast with, and the answer when it cannot be. */
public enum Method {
    /** Trend plus daily and weekly Fourier terms, least squares over the whole history. */
    SEASONAL_REGRESSION,
    /** The same on the logarithm: cycles that scale with the level (weekend traffic is a fraction of weekday). */
    SEASONAL_REGRESSION_LOG,
    /** Trend plus daily terms over the last week only: follows a recent change of slope (a disk filling faster). */
    LOCAL_TREND,
    /** The baseline: the same hour one week earlier. */
    SEASONAL_NAIVE,
    /** Too little history to forecast or to test a forecast: nothing is published. */
    INSUFFICIENT_HISTORY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Method parse(final String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
