package aiops.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HourShareTest {

    static long ms(final String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldSplitAWindowAcrossHoursByOverlap() {
        final var shares = HourShare.split(ms("2026-11-01T10:45:00Z"), ms("2026-11-01T12:15:00Z"), 10, 4, 20);

        assertThat(shares).extracting(HourShare::seconds).containsExactly(900.0, 3600.0, 900.0);
        assertThat(shares.get(0).hour()).isEqualTo(ms("2026-11-01T10:00:00Z") / 3_600_000L);
        assertThat(shares).allSatisfy(s -> assertThat(s.mean()).isEqualTo(10.0));
    }

    @Test
    void shouldWeighWindowsOfAnyLengthAndOrderByTheTimeTheyCover() {
        final HourlyHistory late = new HistoryBuilder()
                .add(ms("2026-11-01T10:30:00Z"), ms("2026-11-01T11:00:00Z"), 40, 30, 50)   // arrives first
                .add(ms("2026-11-01T10:00:00Z"), ms("2026-11-01T10:15:00Z"), 10, 8, 12)
                .add(ms("2026-11-01T10:15:00Z"), ms("2026-11-01T10:30:00Z"), 20, 15, 25)
                .add(ms("2026-11-01T12:00:00Z"), ms("2026-11-01T13:00:00Z"), 7, 7, 7)
                .build();

        // (10*15 + 20*15 + 40*30) / 60 minutes
        assertThat(late.at(0)).isCloseTo(27.5, within(1e-12));
        assertThat(late.at(1)).as("no window covered 11:00").isNaN();
        assertThat(late.at(2)).isEqualTo(7.0);
        assertThat(late.size()).isEqualTo(3);
    }

    @Test
    void shouldNotMoveTheMeanWhenAWindowIsDeliveredTwice() {
        final HistoryBuilder b = new HistoryBuilder()
                .add(ms("2026-11-01T10:00:00Z"), ms("2026-11-01T10:30:00Z"), 10, 10, 10)
                .add(ms("2026-11-01T10:30:00Z"), ms("2026-11-01T11:00:00Z"), 30, 30, 30);
        final double once = b.build().at(0);
        b.add(ms("2026-11-01T10:00:00Z"), ms("2026-11-01T10:30:00Z"), 10, 10, 10)
                .add(ms("2026-11-01T10:30:00Z"), ms("2026-11-01T11:00:00Z"), 30, 30, 30);

        assertThat(b.build().at(0)).isEqualTo(once).isEqualTo(20.0);
    }
}
