package aiops.forecast.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Replicas for a request-rate forecast: per hour, the interval's upper bound plus headroom divided by what one replica
 * serves, rounded up and kept within the catalogue's floor and ceiling. The target to run now is the most needed over
 * the lead hours, so capacity is in place before the load arrives and scale-down waits for the load to pass.
 */
public record ReplicaPlan(double qpsPerReplica, double headroom, int minReplicas, int maxReplicas,
                          List<Integer> replicas, int target, int leadHours) {

    public ReplicaPlan {
        replicas = List.copyOf(replicas);
    }

    public static ReplicaPlan of(final SeriesForecast forecast, final double qpsPerReplica, final double headroom,
                                 final int minReplicas, final int maxReplicas, final int leadHours) {
        if (!(qpsPerReplica > 0)) {
            throw new IllegalArgumentException("qps_per_replica must be > 0, got " + qpsPerReplica);
        }
        final List<Integer> perHour = new ArrayList<>(forecast.points().size());
        for (final SeriesForecast.Point p : forecast.points()) {
            final int needed = (int) Math.ceil(p.upper() * (1 + headroom) / qpsPerReplica - 1e-9);
            perHour.add(Math.max(minReplicas, Math.min(maxReplicas, needed)));
        }
        int target = minReplicas;
        for (int k = 0; k < Math.min(leadHours, perHour.size()); k++) {
            target = Math.max(target, perHour.get(k));
        }
        return new ReplicaPlan(qpsPerReplica, headroom, minReplicas, maxReplicas, perHour, target, leadHours);
    }
}
