package aiops.remediator.notify;

import aiops.common.auth.HmacVerifier;
import aiops.common.redact.Redactor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HTTP channels: Slack incoming webhooks, generic signed webhooks and Feishu bots. */
public final class HttpChannels {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HttpChannels() {
    }

    /** Slack incoming webhook with Block Kit: header, body, context line. */
    public static Channel slack(final String name, final String url) {
        return new Http(name, "slack", url, m -> {
            final ObjectNode doc = JSON.createObjectNode().put("text", m.title());
            final ArrayNode blocks = doc.putArray("blocks");
            blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                    .put("text", cut(m.title(), 150));
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", cut(m.body(), 2900));
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", m.kind() + " · " + m.severity().name().toLowerCase(Locale.ROOT)
                            + (m.incidentId() == null ? "" : " · " + m.incidentId()));
            return new Request(doc, List.of());
        }, response -> response.statusCode() / 100 == 2 ? null : "slack answered " + response.statusCode(), null);
    }

    /** Generic webhook: the message as JSON, signed like the ingest edge expects signed sources to sign. */
    public static Channel webhook(final String name, final String url, final String secret) {
        return new Http(name, "webhook", url, m -> {
            final ObjectNode doc = JSON.createObjectNode().put("notification_id", m.deliveryId())
                    .put("incident_id", m.incidentId()).put("kind", m.kind())
                    .put("severity", m.severity().name().toLowerCase(Locale.ROOT)).put("title", m.title())
                    .put("body", m.body()).put("created_at", m.createdAt().toString());
            return new Request(doc, List.of("X-Aiops-Notification-Id", m.deliveryId()));
        }, response -> response.statusCode() / 100 == 2 ? null : "webhook answered " + response.statusCode(), secret);
    }

    /** Feishu custom bot; with a secret, the request carries Feishu's timestamp and signature. */
    public static Channel feishu(final String name, final String url, final String secret) {
        return new Http(name, "feishu", url, m -> {
            final ObjectNode doc = JSON.createObjectNode();
            if (secret != null) {
                final String timestamp = Long.toString(Instant.now().getEpochSecond());
                doc.put("timestamp", timestamp).put("sign", feishuSign(timestamp, secret));
            }
            doc.put("msg_type", "text").putObject("content").put("text", m.title() + "\n" + m.body());
            return new Request(doc, List.of());
        }, response -> {
            if (response.statusCode() / 100 != 2) {
                return "feishu answered " + response.statusCode();
            }
            try {
                final JsonNode body = JSON.readTree(response.body());
                final int code = body.path("code").asInt(body.path("StatusCode").asInt(0));
                return code == 0 ? null : "feishu refused: code " + code + " " + body.path("msg").asText("");
            } catch (final IOException e) {
                return null;
            }
        }, null);
    }

    /** Base64 of HMAC-SHA256 keyed with {@code timestamp + "\n" + secret} over nothing, as Feishu specifies. */
    public static String feishuSign(final String timestamp, final String secret) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    private static String cut(final String s, final int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private record Request(JsonNode body, List<String> headers) {
    }

    private static final class Http implements Channel {
        private final String name;
        private final String type;
        private final URI url;
        private final java.util.function.Function<Message, Request> render;
        private final java.util.function.Function<HttpResponse<String>, String> check;
        private final String secret;

        Http(final String name, final String type, final String url, final java.util.function.Function<Message, Request> render,
             final java.util.function.Function<HttpResponse<String>, String> check, final String secret) {
            this.name = name;
            this.type = type;
            this.url = URI.create(url);
            this.render = render;
            this.check = check;
            this.secret = secret;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public List<String> recipients() {
            return List.of(name);
        }

        @Override
        public void send(final Message message) throws DeliveryException {
            final Request request = render.apply(message);
            final byte[] body;
            try {
                body = JSON.writeValueAsBytes(request.body());
            } catch (final IOException e) {
                throw new DeliveryException("cannot render: " + e.getMessage());
            }
            final HttpRequest.Builder http = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (int i = 0; i + 1 < request.headers().size(); i += 2) {
                http.header(request.headers().get(i), request.headers().get(i + 1));
            }
            if (secret != null) {
                final String timestamp = Long.toString(Instant.now().getEpochSecond());
                http.header(HmacVerifier.TIMESTAMP_HEADER, timestamp)
                        .header(HmacVerifier.SIGNATURE_HEADER, "sha256=" + HmacVerifier.sign(secret, timestamp, body));
            }
            final HttpResponse<String> response;
            try {
                response = CLIENT.send(http.build(), HttpResponse.BodyHandlers.ofString());
            } catch (final IOException e) {
                // The URL itself can be a secret (Slack, Feishu): name the channel, not the address.
                throw new DeliveryException(name + ": " + Redactor.redact(e.getClass().getSimpleName() + " "
                        + String.valueOf(e.getMessage()).replace(url.toString(), "<url>")));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryException(name + ": interrupted");
            }
            final String problem = check.apply(response);
            if (problem != null) {
                throw new DeliveryException(name + ": " + problem);
            }
        }
    }
}
