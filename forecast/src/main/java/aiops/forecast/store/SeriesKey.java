package aiops.forecast.store;

/** A series: service and metric, within live traffic ({@code run} empty) or one replay run. */
public record SeriesKey(String run, String service, String metric) {

    public SeriesKey {
        run = run == null ? "" : run;
    }

    public boolean live() {
        return run.isEmpty();
    }

    /** The record key on {@code aiops.forecasts}: {@code service/metric}, prefixed {@code run:<id>|} for a replay. */
    public String topicKey() {
        return (live() ? "" : "run:" + run + "|") + service + "/" + metric;
    }
}
