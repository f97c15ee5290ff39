package aiops.common.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            aws_access_key | upload failed for key AKIAIOSFODNN7EXAMPLE in us-east-1             | AKIAIOSFODNN7EXAMPLE
            github_token   | git clone with ghp_16C7e42F292c6912E7710c838347Ae178B4a failed   | ghp_16C7e42F292c6912E7710c838347Ae178B4a
            slack_token    | posting with xoxb-2048-1024-AbCdEfGhIjKlMnOp failed                | xoxb-2048-1024-AbCdEfGhIjKlMnOp
            bearer_token   | upstream sent Authorization: Bearer abc.def-ghi_jkl123               | abc.def-ghi_jkl123
            jwt            | token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U rejected | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
            url_password   | cannot connect to postgres://app:hunter2secret@db:5432/orders       | hunter2secret
            secret_value   | config loaded: db_password=Sup3rS3cret! retries=3                   | Sup3rS3cret!
            secret_value   | {"api_key": "k-9f8e7d6c5b4a"}                                        | k-9f8e7d6c5b4a
            email          | password reset mail to jane.doe@example.com bounced                 | jane.doe@example.com
            high_entropy   | session 8fK2xQ9mZ4vR7tL1pW3nY6bH0cJ5dG8s expired                    | 8fK2xQ9mZ4vR7tL1pW3nY6bH0cJ5dG8s
            """)
    void shouldReplaceEachKindOfSecret(final String kind, final String text, final String secret) {
        final String out = Redactor.redact(text);

        assertThat(out).doesNotContain(secret).contains("[REDACTED:" + kind + ":1]");
    }

    @Test
    void shouldRemoveAPrivateKeyBlock() {
        final String out = Redactor.redact("key: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc\n"
                + "-----END RSA PRIVATE KEY----- loaded");

        assertThat(out).isEqualTo("key: [REDACTED:private_key:1] loaded");
    }

    @Test
    void shouldGiveTheSameSecretTheSamePlaceholderAcrossFieldsOfOnePrompt() {
        final Redactor.Scrubber scrubber = new Redactor.Scrubber();

        final String a = scrubber.scrub("key AKIAIOSFODNN7EXAMPLE denied");
        final String b = scrubber.scrub("retrying with AKIAIOSFODNN7EXAMPLE, then AKIAI44QH8DHBEXAMPLE");

        assertThat(a).isEqualTo("key [REDACTED:aws_access_key:1] denied");
        assertThat(b).isEqualTo("retrying with [REDACTED:aws_access_key:1], then [REDACTED:aws_access_key:2]");
        assertThat(scrubber.redactions()).isEqualTo(2);
    }

    @Test
    void shouldLeaveALongKafkaStyleLineAlone() {
        // A line listing thousands of partitions, the kind the broker logs; the patterns are bounded so such lines
        // scrub in linear time (a nested quantifier here once made every log line of the demo cost seconds).
        final StringBuilder line = new StringBuilder("Removed fetcher for partitions Set(");
        for (int i = 0; i < 5_000; i++) {
            line.append("aiops.alerts.raw-").append(i).append(", aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").append(i).append(' ');
        }
        final String text = line.append(')').toString();

        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            GET /health 200 in 4 ms
            alert PostgresConnectionsSaturated severity=CRITICAL fingerprint=5f3c9a1b2d4e6f70
            pod checkout-7d9f8b6c5-x2x9k restarted; deploy sha 3f786850e387550fdab836ed7e6dc881de23001b
            java.lang.OutOfMemoryError: Java heap space at com.example.orders.OrderRepository
            request 123e4567-e89b-12d3-a456-426614174000 failed: status 503
            [Consumer clientId=aiops-demo-streams-5e3a4c1b-9f2d-4c1e-8a7b-0c1d2e3f4a5b-StreamThread-1-consumer] joined
            analysis used prompt_tokens=1834 completion_tokens=211
            """)
    void shouldLeaveOrdinaryOperationalTextAlone(final String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }
}
