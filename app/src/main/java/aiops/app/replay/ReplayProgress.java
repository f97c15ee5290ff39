package aiops.app.replay;

import aiops.ingest.replay.Replayer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress on stderr, so stdout keeps only the summary: a redrawn bar with rate and ETA on a terminal, a plain line
 * every few seconds otherwise (CI logs, pipes).
 */
final class ReplayProgress implements Replayer.Listener {

    private static final long TERMINAL_EVERY_MS = 200;
    private static final long PLAIN_EVERY_MS = 5_000;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private long lastShown;

    ReplayProgress(final PrintStream err, final boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void progress(final Replayer.Progress p) {
        final long now = System.currentTimeMillis();
        final boolean last = p.done() == p.total();
        if (!last && now - lastShown < (terminal ? TERMINAL_EVERY_MS : PLAIN_EVERY_MS)) {
            return;
        }
        lastShown = now;
        final String line = line(p);
        if (terminal) {
            err.print("\r" + line + (last ? System.lineSeparator() : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String line(final Replayer.Progress p) {
        final double seconds = Math.max(p.elapsed().toMillis(), 1) / 1000.0;
        final int filled = p.total() == 0 ? WIDTH : (int) ((long) WIDTH * p.done() / p.total());
        return String.format(Locale.ROOT, "replay [%s%s] %3d%% %d/%d signals, %d records, %.1f signals/s, ETA %s%s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), p.total() == 0 ? 100 : 100L * p.done() / p.total(),
                p.done(), p.total(), p.records(), p.done() / seconds, eta(p.remaining()),
                p.rejected() == 0 ? "" : ", " + p.rejected() + " rejected");
    }

    private static String eta(final Duration remaining) {
        if (remaining == null) {
            return "?";
        }
        final long s = remaining.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
