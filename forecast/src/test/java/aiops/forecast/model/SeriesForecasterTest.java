package aiops.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class SeriesForecasterTest {

    private static final long START = 490_000L; // an hour since the epoch
    private final SeriesForecaster forecaster = new SeriesForecaster(336);

    static HourlyHistory series(final int hours, final IntToDoubleFunction f) {
        final double[] v = new double[hours];
        for (int i = 0; i < hours; i++) {
            v[i] = f.applyAsDouble(i);
        }
        return new HourlyHistory(START, v);
    }

    private static double hourOfDay(final int i) {
        return Math.floorMod(START + i, 24L);
    }

    @Test
    void shouldRecoverAnExactTrendPlusDailyCycle() {
        // y = 100 + 2 per week + 10 sin(2 pi t / 24): exactly representable, so every model term is known.
        final IntToDoubleFunction truth = i -> 100 + 2 * (i / 168.0) + 10 * Math.sin(2 * Math.PI * (START + i) / 24.0);
        final SeriesForecast f = forecaster.forecast(series(840, truth), 48, 0.8);

        assertThat(f.method()).isIn(Method.SEASONAL_REGRESSION, Method.LOCAL_TREND);
        assertThat(f.originHour()).isEqualTo(START + 840);
        assertThat(f.points()).hasSize(48);
        for (int k = 0; k < 48; k++) {
            assertThat(f.points().get(k).value()).as("hour %d", k).isCloseTo(truth.applyAsDouble(840 + k), within(1e-6));
        }
        assertThat(f.backtestSmape()).isLessThan(1e-8);
        assertThat(f.baselineSmape()).isGreaterThan(0); // last week's value misses the trend
    }

    @Test
    void shouldFitMultiplicativeWeeklyCyclesOnTheLogScale() {
        final Random noise = new Random(7);
        final IntToDoubleFunction truth = i -> {
            final boolean weekend = Math.floorMod(START + i + 96, 168L) < 48; // two days a week
            final double day = 1 + 0.6 * Math.exp(-Math.pow((hourOfDay(i) - 14) / 4.0, 2));
            return 200 * day * (weekend ? 0.55 : 1.0);
        };
        final HourlyHistory h = series(840, i -> truth.applyAsDouble(i) * (1 + 0.04 * noise.nextGaussian()));
        final SeriesForecast f = forecaster.forecast(h, 24, 0.8);

        assertThat(f.method()).isNotEqualTo(Method.SEASONAL_NAIVE);
        assertThat(f.backtestSmape()).isLessThan(0.8 * f.baselineSmape());
        int covered = 0;
        for (final SeriesForecast.Point p : f.points()) {
            final double actual = truth.applyAsDouble((int) (p.hour() - START));
            assertThat(p.lower()).isLessThanOrEqualTo(p.value());
            assertThat(p.upper()).isGreaterThanOrEqualTo(p.value());
            if (actual >= p.lower() && actual <= p.upper()) {
                covered++;
            }
        }
        assertThat(covered).as("noise-free truth inside the 80%% intervals").isGreaterThanOrEqualTo(20);
    }

    @Test
    void shouldPublishTheBaselineWhenNoModelBeatsIt() {
        // A pattern that repeats exactly every week but is not smooth: seasonal naive is perfect, regression is not.
        final Random r = new Random(3);
        final double[] week = new double[168];
        for (int i = 0; i < 168; i++) {
            week[i] = r.nextDouble() * 100;
        }
        final SeriesForecast f = forecaster.forecast(series(840, i -> week[(int) Math.floorMod(START + i, 168L)]), 24,
                0.8);

        assertThat(f.method()).isEqualTo(Method.SEASONAL_NAIVE);
        assertThat(f.baselineSmape()).isEqualTo(0.0);
        for (final SeriesForecast.Point p : f.points()) {
            assertThat(p.value()).isEqualTo(week[(int) Math.floorMod(p.hour(), 168L)]);
        }
    }

    @Test
    void shouldRefuseToForecastFromTooLittleHistory() {
        final HourlyHistory h = series(800, i -> i < 500 ? Double.NaN : 5.0);
        final SeriesForecast f = forecaster.forecast(h, 24, 0.8);

        assertThat(f.method()).isEqualTo(Method.INSUFFICIENT_HISTORY);
        assertThat(f.points()).isEmpty();
        assertThat(f.historyHours()).isEqualTo(300);
    }

    @Test
    void shouldForecastAcrossGapsInTheHistory() {
        final IntToDoubleFunction truth = i -> 50 + 5 * Math.cos(2 * Math.PI * (START + i) / 24.0);
        final SeriesForecast f = forecaster.forecast(series(700, i -> i % 37 == 0 || (i > 300 && i < 330)
                ? Double.NaN : truth.applyAsDouble(i)), 12, 0.8);

        assertThat(f.method()).isNotEqualTo(Method.INSUFFICIENT_HISTORY);
        assertThat(f.points().get(5).value()).isCloseTo(truth.applyAsDouble(705), within(1e-6));
    }

    @Test
    void shouldRefuseHorizonsOutsideOneToAWeek() {
        assertThatThrownBy(() -> forecaster.forecast(series(400, i -> 1), 169, 0.8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-168");
        assertThatThrownBy(() -> new SeriesForecaster(100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldScoreSmapeSymmetricallyAndBounded() {
        assertThat(SeriesForecaster.smape(100, 110)).isCloseTo(20.0 / 210, within(1e-12));
        assertThat(SeriesForecaster.smape(110, 100)).isEqualTo(SeriesForecaster.smape(100, 110));
        assertThat(SeriesForecaster.smape(0, 0)).isZero();
        assertThat(SeriesForecaster.smape(0, 5)).isEqualTo(2.0);
    }
}
