package aiops.ingest.streams;

/**
 * Live traffic and every replay run are separate correlation domains: a replay of last month never joins, absorbs,
 * reopens or trains what live traffic (or another run) built. State-store keys of a replay run carry its run id;
 * live keys are unprefixed, so state written before runs were scoped stays valid.
 */
final class RunScope {

    private RunScope() {
    }

    /** @param runId the replay run, or {@code null} for live traffic */
    static String key(final String runId, final String key) {
        return runId == null ? key : prefix(runId) + key;
    }

    static String prefix(final String runId) {
        return runId == null ? "" : "run:" + runId + "|";
    }

    static boolean sameRun(final String a, final String b) {
        return a == null ? b == null : a.equals(b);
    }
}
