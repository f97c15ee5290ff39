package aiops.remediator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.avro.Severity;
import aiops.common.auth.HmacVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every channel against a real receiver: local HTTP servers for Slack, webhooks and Feishu, GreenMail for SMTP. */
class ChannelsTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

    static final ObjectMapper JSON = new ObjectMapper();
    static final Message MESSAGE = new Message("ntf-0123456789abcdef01234567", "inc-42", "incident_opened",
            Severity.CRITICAL, "Incident opened: PostgresConnectionsSaturated on payments-db",
            "Services: payments-db, payments", Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void shouldPostSlackBlocks() throws Exception {
        try (Receiver slack = new Receiver()) {
            HttpChannels.slack("shop", slack.url("/services/T0/B0/x")).send(MESSAGE);

            final JsonNode doc = JSON.readTree(slack.hits().get(0).body());
            assertThat(doc.path("text").asText()).isEqualTo(MESSAGE.title());
            assertThat(doc.path("blocks").get(0).path("type").asText()).isEqualTo("header");
            assertThat(doc.path("blocks").get(1).path("text").path("text").asText()).isEqualTo(MESSAGE.body());
            assertThat(doc.path("blocks").get(2).toString()).contains("incident_opened").contains("critical");
        }
    }

    @Test
    void shouldSignGenericWebhooksSoTheReceiverCanVerify() throws Exception {
        try (Receiver hook = new Receiver()) {
            HttpChannels.webhook("ops", hook.url("/aiops"), "hook-secret-0123456789").send(MESSAGE);

            final Receiver.Hit hit = hook.hits().get(0);
            final String expected = "sha256=" + HmacVerifier.sign("hook-secret-0123456789",
                    hit.header(HmacVerifier.TIMESTAMP_HEADER), hit.body().getBytes(StandardCharsets.UTF_8));
            assertThat(hit.header(HmacVerifier.SIGNATURE_HEADER)).isEqualTo(expected);
            assertThat(hit.header("X-Aiops-Notification-Id")).isEqualTo(MESSAGE.deliveryId());
            assertThat(JSON.readTree(hit.body()).path("incident_id").asText()).isEqualTo("inc-42");
        }
    }

    @Test
    void shouldSignFeishuMessagesAndTreatANonZeroCodeAsFailure() throws Exception {
        try (Receiver feishu = new Receiver().answering(200, "{\"code\":0,\"msg\":\"success\"}")) {
            HttpChannels.feishu("pay", feishu.url("/open-apis/bot/v2/hook/abc"), "feishu-secret").send(MESSAGE);

            final JsonNode doc = JSON.readTree(feishu.hits().get(0).body());
            assertThat(doc.path("msg_type").asText()).isEqualTo("text");
            assertThat(doc.path("sign").asText())
                    .isEqualTo(HttpChannels.feishuSign(doc.path("timestamp").asText(), "feishu-secret"));
            assertThat(doc.path("content").path("text").asText()).startsWith(MESSAGE.title());

            feishu.answering(200, "{\"code\":19021,\"msg\":\"sign match fail\"}");
            assertThatThrownBy(() -> HttpChannels.feishu("pay", feishu.url("/x"), "wrong").send(MESSAGE))
                    .isInstanceOf(Channel.DeliveryException.class).hasMessageContaining("19021");
        }
    }

    @Test
    void shouldReportAFailingReceiverWithoutItsSecretUrl() throws Exception {
        try (Receiver down = new Receiver().answering(500, "boom")) {
            assertThatThrownBy(() -> HttpChannels.slack("shop", down.url("/services/SECRET")).send(MESSAGE))
                    .hasMessage("shop: slack answered 500");
        }
        assertThatThrownBy(() -> HttpChannels.slack("shop", "http://127.0.0.1:1/services/SECRET").send(MESSAGE))
                .isInstanceOf(Channel.DeliveryException.class).hasMessageNotContaining("SECRET");
    }

    @Test
    void shouldSendMailOverSmtp() throws Exception {
        final EmailChannel mail = new EmailChannel(new EmailChannel.Smtp("127.0.0.1", SMTP.getSmtp().getPort(), false,
                false, null, null, "aiops@example.com"), List.of("oncall@example.com", "lead@example.com"));

        mail.send(MESSAGE);

        final MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[0].getSubject()).isEqualTo("[critical] " + MESSAGE.title());
        assertThat(received[0].getHeader("X-Aiops-Notification-Id")[0]).isEqualTo(MESSAGE.deliveryId());
        assertThat(((String) received[0].getContent())).contains("Services: payments-db");
    }

    @Test
    void shouldRouteByKindSeverityAndOwnerElseToTheDefault() throws Exception {
        final NotifyConfig config = NotifyConfig.parse("""
                channels:
                  shop-slack: {type: slack, url: "${SLACK_URL}"}
                  oncall: {type: email, to: [oncall@example.com]}
                smtp: {host: 127.0.0.1, port: 2525, from: aiops@example.com}
                routes:
                  - {owners: [team-shop], severities: [critical, high], channels: [shop-slack, oncall]}
                  - {kinds: [approval_needed], channels: [oncall]}
                default: [log]
                """, "notify.yaml", Map.of("SLACK_URL", "https://hooks.slack.com/services/x")::get);
        final NoticeRouter router = new NoticeRouter(config);

        assertThat(router.route(notice("incident_opened", Severity.CRITICAL, Set.of("team-shop"))))
                .containsExactly("shop-slack", "oncall");
        assertThat(router.route(notice("approval_needed", Severity.INFO, Set.of("team-pay")))).containsExactly("oncall");
        assertThat(router.route(notice("incident_opened", Severity.WARNING, Set.of("team-shop")))).containsExactly("log");
        assertThat(config.channels().get("shop-slack").url()).isEqualTo("https://hooks.slack.com/services/x");
    }

    @Test
    void shouldRefuseABadNotificationFileNamingTheProblem() {
        assertThatThrownBy(() -> NotifyConfig.parse("channels:\n  a: {type: slack, url: \"${NOPE}\"}\n", "n.yaml",
                k -> null)).hasMessage("n.yaml:2: environment variable NOPE is not set");
        assertThatThrownBy(() -> NotifyConfig.parse("channels:\n  a: {type: pager}\n", "n.yaml", k -> null))
                .hasMessageContaining("channels.a.type must be one of");
        assertThatThrownBy(() -> NotifyConfig.parse("routes:\n  - {channels: [ghost]}\n", "n.yaml", k -> null))
                .hasMessageContaining("unknown channel ghost");
        assertThatThrownBy(() -> NotifyConfig.parse("chanels: {}\n", "n.yaml", k -> null))
                .hasMessageStartingWith("n.yaml:1");
    }

    static Notice notice(final String kind, final Severity severity, final Set<String> owners) {
        return new Notice("k", "inc-1", kind, severity, "t", "b", owners, null, null);
    }
}
