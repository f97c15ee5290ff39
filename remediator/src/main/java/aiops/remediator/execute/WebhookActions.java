package aiops.remediator.execute;

import aiops.common.auth.HmacVerifier;
import aiops.remediator.store.RemediationAction;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code webhook} action: a signed POST to one of the configured runbook-automation endpoints, chosen by name.
 * The body names the action, incident, service and the analysis' rationale-free parameters; {@code X-Aiops-Action-Id}
 * lets the receiver deduplicate. Whether an interrupted call reached the receiver cannot be known, so it is never
 * repeated.
 */
public final class WebhookActions implements ActionExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> urls;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public WebhookActions(final Map<String, String> urls, final String secret) {
        this.urls = Map.copyOf(urls);
        this.secret = secret;
    }

    @Override
    public Map<String, String> resolve(final RemediationAction a) throws ActionFailed {
        final String name = a.parameters().get("webhook");
        if (!urls.containsKey(name)) {
            throw new ActionFailed("webhook " + name + " is not configured", true);
        }
        return Map.of("webhook", name);
    }

    @Override
    public void apply(final RemediationAction a) throws ActionFailed {
        final String url = urls.get(a.plan().get("webhook"));
        if (url == null) {
            throw new ActionFailed("webhook " + a.plan().get("webhook") + " is not configured", true);
        }
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("action_id", a.actionId());
        doc.put("incident_id", a.incidentId());
        doc.put("service", a.service());
        doc.put("kubernetes", a.target() == null ? null : Map.of("namespace", a.target().getNamespace(),
                "deployment", a.target().getDeployment()));
        doc.put("webhook", a.plan().get("webhook"));
        doc.put("replay_run", a.replayRun());
        final byte[] body;
        try {
            body = JSON.writeValueAsBytes(doc);
        } catch (final IOException e) {
            throw new ActionFailed("cannot render the webhook body");
        }
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").header("X-Aiops-Action-Id", a.actionId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            final String ts = Long.toString(Instant.now().getEpochSecond());
            request.header(HmacVerifier.TIMESTAMP_HEADER, ts)
                    .header(HmacVerifier.SIGNATURE_HEADER, "sha256=" + HmacVerifier.sign(secret, ts, body));
        }
        final HttpResponse<Void> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (final IOException e) {
            throw new ActionFailed("webhook " + a.plan().get("webhook") + ": " + e.getClass().getSimpleName());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailed("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new ActionFailed("webhook " + a.plan().get("webhook") + " answered " + response.statusCode());
        }
    }

    @Override
    public String verify(final RemediationAction a, final Duration timeout) {
        return null;
    }

    @Override
    public Recovery recover(final RemediationAction a) {
        return Recovery.UNKNOWN;
    }
}
