package aiops.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExhaustionAndReplicasTest {

    private final SeriesForecaster forecaster = new SeriesForecaster(336);

    static SeriesForecast flat(final double value, final double lower, final double upper, final int hours) {
        final List<SeriesForecast.Point> points = new ArrayList<>();
        for (int k = 0; k < hours; k++) {
            points.add(new SeriesForecast.Point(1000 + k, value, lower, upper));
        }
        return new SeriesForecast(1000, Method.SEASONAL_REGRESSION, 800, 0.01, 0.02, 0.8, points);
    }

    @Test
    void shouldPredictADiskThatFillsUpWithItsEtaRange() {
        final Random r = new Random(11);
        final double[] v = new double[800];
        for (int i = 0; i < v.length; i++) {
            // 60 % for weeks, then 4 points a day from day 25 on: crosses 90 % at hour 780 + 20 = 800 + ~
            v[i] = 0.6 + (i > 620 ? 0.04 * (i - 620) / 24.0 : 0) + 0.003 * r.nextGaussian();
        }
        final SeriesForecast f = forecaster.forecast(new HourlyHistory(0, v), 48, 0.8);
        final ExhaustionCheck check = ExhaustionCheck.of(f, 0.9, 24);

        assertThat(check.predicted()).isTrue();
        // truth: 0.6 + 0.04 (h - 620) / 24 = 0.9 at h = 800
        assertThat(check.etaHour()).isBetween(797L, 806L);
        assertThat(check.earliestHour()).isLessThanOrEqualTo(check.etaHour());
        assertThat(check.latestHour() == null || check.latestHour() >= check.etaHour()).isTrue();
    }

    @Test
    void shouldStayQuietOnANoisyButStableSeriesNearItsLimit() {
        final Random r = new Random(5);
        final double[] v = new double[800];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.85 + 0.02 * Math.sin(2 * Math.PI * i / 24.0) + 0.02 * r.nextGaussian();
        }
        for (int origin = 700; origin <= 800; origin += 4) {
            final SeriesForecast f = forecaster.forecast(new HourlyHistory(0, v).head(origin), 24, 0.8);
            assertThat(ExhaustionCheck.of(f, 0.95, 24).predicted()).as("origin %d", origin).isFalse();
        }
    }

    @Test
    void shouldRaiseOnlyOnThePointForecastNotOnTheUpperBound() {
        final ExhaustionCheck brushing = ExhaustionCheck.of(flat(0.9, 0.85, 0.96, 24), 0.95, 24);
        assertThat(brushing.predicted()).isFalse();
        assertThat(brushing.earliestHour()).isNull();

        final ExhaustionCheck beyondHorizon = ExhaustionCheck.of(flat(0.97, 0.9, 0.99, 48), 0.95, 0);
        assertThat(beyondHorizon.predicted()).isFalse();
    }

    @Test
    void shouldTellUtilisationSeriesByLimitUnitOrName() {
        assertThat(ExhaustionCheck.limitOf("disk_used_ratio", null, null)).isEqualTo(0.95);
        assertThat(ExhaustionCheck.limitOf("heap", "percent", Map.of())).isEqualTo(95.0);
        assertThat(ExhaustionCheck.limitOf("pool_in_use", "ratio", Map.of("pool_in_use", 0.8))).isEqualTo(0.8);
        assertThat(ExhaustionCheck.limitOf("connections", "count", Map.of("connections", 200.0))).isEqualTo(200.0);
        assertThat(ExhaustionCheck.limitOf("http_requests_per_s", "req/s", null)).isNull();
    }

    @Test
    void shouldSizeReplicasFromTheUpperBoundWithHeadroomWithinTheCatalogueBounds() {
        final List<SeriesForecast.Point> points = List.of(
                new SeriesForecast.Point(1, 100, 90, 110),    // 110 * 1.2 / 40 = 3.3 -> 4
                new SeriesForecast.Point(2, 300, 280, 330),   // 9.9 -> 10
                new SeriesForecast.Point(3, 20, 10, 30),      // 0.9 -> 1, floor 2
                new SeriesForecast.Point(4, 900, 800, 1000)); // 30 -> ceiling 12
        final SeriesForecast f = new SeriesForecast(1, Method.SEASONAL_REGRESSION_LOG, 800, 0.03, 0.05, 0.8, points);

        final ReplicaPlan plan = ReplicaPlan.of(f, 40, 0.2, 2, 12, 2);

        assertThat(plan.replicas()).containsExactly(4, 10, 2, 12);
        assertThat(plan.target()).as("the most needed over the next 2 hours").isEqualTo(10);
        assertThat(ReplicaPlan.of(f, 40, 0.2, 2, 12, 1).target()).isEqualTo(4);
        assertThatThrownBy(() -> ReplicaPlan.of(f, 0, 0.2, 1, 3, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
