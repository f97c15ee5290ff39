package aiops.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ForecastCommandTest {

    static String render(final String json) throws Exception {
        final StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            ForecastCommand.render(new ObjectMapper().readTree(json), out);
        }
        return text.toString();
    }

    @Test
    void shouldDrawEachHoursIntervalWithThePointInsideIt() throws Exception {
        final String text = render("""
                {"service":"checkout","metric":"http_requests_per_s","unit":"req/s","origin":"2026-11-20T08:00:00Z",
                 "method":"seasonal_regression_log","history_hours":800,"backtest_smape":0.04,"baseline_smape":0.06,
                 "level":0.8,"points":[
                  {"at":"2026-11-20T08:00:00Z","value":100,"lower":90,"upper":110},
                  {"at":"2026-11-20T09:00:00Z","value":200,"lower":180,"upper":220}],
                 "recommendation":{"target_replicas":7,"lead_hours":2,"replicas":[4,7]}}
                """);
        final String[] lines = text.split("\\n");

        assertThat(lines[0]).isEqualTo("checkout http_requests_per_s (req/s) from 2026-11-20T08:00:00Z: method "
                + "seasonal_regression_log, 800 h of history");
        assertThat(lines[1]).contains("backtest sMAPE 0.040 (seasonal naive 0.060), 80% intervals");
        // lowest bound at the left edge, highest at the right: 90..220 over 40 columns
        assertThat(lines[2]).endsWith("|---*---" + " ".repeat(34) + "|");
        assertThat(lines[3]).endsWith("|" + " ".repeat(28) + "------*------|");
        assertThat(lines[4]).isEqualTo("replicas: run 7 now (next 2 h), per hour [4,7]");
    }

    @Test
    void shouldSaySoWhenThereIsTooLittleHistory() throws Exception {
        final String text = render("""
                {"service":"search","metric":"cpu_utilization_ratio","unit":"ratio","origin":"2026-11-20T08:00:00Z",
                 "method":"insufficient_history","history_hours":90,"points":[]}
                """);

        assertThat(text).contains("method insufficient_history, 90 h of history")
                .contains("not enough history to forecast yet").doesNotContain("sMAPE");
    }
}
