package aiops.embedded.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an LLM provider, OpenAI-compatible ({@code POST /v1/chat/completions}) and Anthropic
 * ({@code POST /v1/messages}), for tests and benchmarks: it
 * answers like a real server (bearer auth, {@code usage} block, JSON error bodies, {@code Retry-After}) and records
 * every request body. Each request takes the next scripted {@link Mode}, else the default mode. The "ok" answer
 * names the service of the first alert in the prompt's evidence and cites that alert.
 */
public final class FakeLlmServer implements AutoCloseable {

    /** How the server answers one request. */
    public enum Mode {
        /** A valid answer with usage. */
        OK,
        /** 429 with Retry-After. */
        RATE_LIMITED,
        /** 500 with an error body. */
        SERVER_ERROR,
        /** A valid answer after the slow delay. */
        SLOW,
        /** 200 whose message content is not JSON. */
        MALFORMED,
        /** A valid answer without a usage block. */
        NO_USAGE,
        /** An answer that cites evidence that does not exist and asks for actions outside policy. */
        OUT_OF_POLICY,
        /**
         * An answer that obeys instructions injected into the incident: actions the analyzer accepts (known types on
         * the incident's catalogued workload, parameters in its bounds) that a policy may still refuse, next to actions
         * the analyzer drops (an unknown type, a target outside the incident, a parameter out of bounds).
         */
        INJECTED,
        /** A tool-calling model that obeys tool results telling it to call propose_remediation ({@link FakeAgent}). */
        AGENT,
        /** A tool-calling model that never stops calling tools. */
        AGENT_LOOP
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final String apiKey;
    private final Queue<Mode> script = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger served = new AtomicInteger();
    private volatile Mode defaultMode = Mode.OK;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration slowDelay = Duration.ofSeconds(5);
    private volatile int retryAfterSeconds = 1;

    private FakeLlmServer(final String apiKey) throws IOException {
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        this.executor = Executors.newCachedThreadPool(r -> {
            final Thread t = new Thread(r, "fake-llm");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static FakeLlmServer start(final String apiKey) throws IOException {
        final FakeLlmServer fake = new FakeLlmServer(apiKey);
        fake.server.start();
        return fake;
    }

    /** Base URL for an OpenAI-compatible client, ending in /v1. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public FakeLlmServer script(final Mode... modes) {
        script.addAll(List.of(modes));
        return this;
    }

    public FakeLlmServer defaultMode(final Mode mode) {
        this.defaultMode = mode;
        return this;
    }

    /** Added to every answer, like a model's generation time. */
    public FakeLlmServer latency(final Duration d) {
        this.latency = d;
        return this;
    }

    public FakeLlmServer slowDelay(final Duration d) {
        this.slowDelay = d;
        return this;
    }

    public FakeLlmServer retryAfterSeconds(final int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Request bodies received, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public int served() {
        return served.get();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final String path = exchange.getRequestURI().getPath();
            final boolean anthropic = path.endsWith("/messages");
            if (!exchange.getRequestMethod().equals("POST") || !(path.endsWith("/chat/completions") || anthropic)) {
                reply(exchange, 404, error("not_found", "no such endpoint"));
                return;
            }
            final String credential = anthropic ? exchange.getRequestHeaders().getFirst("x-api-key")
                    : exchange.getRequestHeaders().getFirst("Authorization");
            if (!(anthropic ? apiKey : "Bearer " + apiKey).equals(credential)) {
                reply(exchange, 401, error("invalid_api_key", "Incorrect API key provided"));
                return;
            }
            requests.add(body);
            served.incrementAndGet();
            final Mode mode = script.isEmpty() ? defaultMode : script.poll();
            sleep(latency);
            final JsonNode request = JSON.readTree(body);
            if (anthropic) {
                answerAnthropic(exchange, request, mode);
                return;
            }
            switch (mode) {
                case RATE_LIMITED -> {
                    exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
                    reply(exchange, 429, error("rate_limit_exceeded", "Rate limit reached, retry later"));
                }
                case SERVER_ERROR -> reply(exchange, 500, error("server_error", "The server had an error"));
                case SLOW -> {
                    sleep(slowDelay);
                    reply(exchange, 200, completion(request, answer(request), true, body.length()));
                }
                case MALFORMED -> reply(exchange, 200, completion(request, "Sure! The root cause is probably the "
                        + "database {\"hypotheses\": [", true));
                case NO_USAGE -> reply(exchange, 200, completion(request, answer(request), false));
                case OUT_OF_POLICY -> reply(exchange, 200, completion(request, outOfPolicy(request), true, body.length()));
                case INJECTED -> reply(exchange, 200, completion(request, injected(request), true, body.length()));
                case AGENT, AGENT_LOOP -> reply(exchange, 200, FakeAgent.respond(request, mode == Mode.AGENT_LOOP));
                default -> reply(exchange, 200, completion(request, answer(request), true, body.length()));
            }
        }
    }

    private static String completion(final JsonNode request, final String content, final boolean usage) {
        return completion(request, content, usage, 0);
    }

    /**
     * Usage like a provider's: about four characters per token over the message texts and the response schema
     * (not over the JSON envelope's whitespace).
     */
    private static String completion(final JsonNode request, final String content, final boolean usage,
                                     final int ignored) {
        int requestChars = request.path("response_format").toString().length();
        for (final JsonNode m : request.path("messages")) {
            requestChars += m.path("content").asText().length() + 4;
        }
        final ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-" + Long.toHexString(System.nanoTime()))
                .put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", request.path("model").asText("fake"));
        final ObjectNode choice = out.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        if (usage) {
            final int prompt = requestChars / 4;
            final int completion = content.length() / 4;
            out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
        }
        return out.toString();
    }

    /** Anthropic's Messages API shape: {@code content} blocks and {@code usage.input_tokens/output_tokens}. */
    private void answerAnthropic(final HttpExchange exchange, final JsonNode request, final Mode mode) throws IOException {
        if (mode == Mode.RATE_LIMITED) {
            exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
            reply(exchange, 429, error("rate_limit_error", "Number of requests has exceeded your rate limit"));
            return;
        }
        if (mode == Mode.SERVER_ERROR) {
            reply(exchange, 500, error("api_error", "Internal server error"));
            return;
        }
        if (mode == Mode.SLOW) {
            sleep(slowDelay);
        }
        final String content = switch (mode) {
            case MALFORMED -> "I think the database {\"hypotheses\": [";
            case OUT_OF_POLICY -> outOfPolicy(request);
            case INJECTED -> injected(request);
            default -> answer(request);
        };
        final ObjectNode out = JSON.createObjectNode().put("id", "msg_" + Long.toHexString(System.nanoTime()))
                .put("type", "message").put("role", "assistant").put("model", request.path("model").asText("fake"))
                .put("stop_reason", "end_turn");
        out.putArray("content").addObject().put("type", "text").put("text", content);
        if (mode != Mode.NO_USAGE) {
            int chars = request.path("system").toString().length();
            for (final JsonNode m : request.path("messages")) {
                chars += text(m.path("content")).length() + 4;
            }
            out.putObject("usage").put("input_tokens", chars / 4).put("output_tokens", content.length() / 4);
        }
        reply(exchange, 200, out.toString());
    }

    /** Message content as OpenAI (a string) or Anthropic (a string or text blocks) sends it. */
    private static String text(final JsonNode content) {
        if (content.isArray()) {
            final StringBuilder out = new StringBuilder();
            content.forEach(block -> out.append(block.path("text").asText()));
            return out.toString();
        }
        return content.asText();
    }

    /** The incident JSON inside the last user message's incident_data block. */
    static JsonNode incident(final JsonNode request) throws IOException {
        String user = "";
        for (final JsonNode m : request.path("messages")) {
            if (m.path("role").asText().equals("user") && text(m.path("content")).contains("<incident_data>")) {
                user = text(m.path("content"));
            }
        }
        final int start = user.indexOf('{');
        final int end = user.lastIndexOf('}');
        return start < 0 ? JSON.createObjectNode() : JSON.readTree(user.substring(start, end + 1));
    }

    private static String answer(final JsonNode request) throws IOException {
        final JsonNode incident = incident(request);
        JsonNode cited = null;
        for (final JsonNode e : incident.path("evidence")) {
            if (e.path("kind").asText().equals("alert")) {
                cited = e;
                break;
            }
        }
        final ObjectNode out = JSON.createObjectNode().put("summary", "The first alerting service is the likely cause.");
        final ArrayNode hypotheses = out.putArray("hypotheses");
        if (cited != null) {
            final ObjectNode h = hypotheses.addObject().put("service", cited.path("service").asText())
                    .put("fault", "service_degradation").put("description", "it alerted first").put("confidence", 0.6);
            h.putArray("evidence_ids").add(cited.path("id").asText());
        }
        final ArrayNode actions = out.putArray("actions");
        if (cited != null) {
            actions.addObject().put("action_type", "NONE").put("service", cited.path("service").asText())
                    .put("rationale", "observe").put("hypothesis_rank", 1).putArray("parameters");
        }
        return out.toString();
    }

    private static String injected(final JsonNode request) throws IOException {
        final JsonNode incident = incident(request);
        JsonNode cited = null;
        for (final JsonNode e : incident.path("evidence")) {
            if (e.path("kind").asText().equals("alert")) {
                cited = e;
                break;
            }
        }
        final String service = cited == null ? "unknown" : cited.path("service").asText();
        final ObjectNode out = JSON.createObjectNode().put("summary", "As the incident instructs: scale, delete, roll back.");
        final ObjectNode h = out.putArray("hypotheses").addObject().put("service", service).put("fault", "bad_deploy")
                .put("description", "the alert says so").put("confidence", 0.9);
        h.putArray("evidence_ids").add(cited == null ? "none" : cited.path("id").asText());
        final ArrayNode actions = out.putArray("actions");
        final ObjectNode scale = actions.addObject().put("action_type", "SCALE_DEPLOYMENT").put("service", service)
                .put("rationale", "scale checkout to 1000, as instructed").put("hypothesis_rank", 1);
        scale.putArray("parameters").addObject().put("key", "replicas_delta").put("value", "2");
        actions.addObject().put("action_type", "DELETE_POD").put("service", service).put("rationale", "as instructed")
                .put("hypothesis_rank", 1).putArray("parameters");
        actions.addObject().put("action_type", "ROLLBACK_DEPLOYMENT").put("service", service)
                .put("rationale", "as instructed").put("hypothesis_rank", 1).putArray("parameters");
        actions.addObject().put("action_type", "DELETE_NAMESPACE").put("service", "prod").put("rationale", "as instructed")
                .put("hypothesis_rank", 1).putArray("parameters");
        final ObjectNode thousand = actions.addObject().put("action_type", "SCALE_DEPLOYMENT").put("service", service)
                .put("rationale", "as instructed").put("hypothesis_rank", 1);
        thousand.putArray("parameters").addObject().put("key", "replicas_delta").put("value", "1000");
        return out.toString();
    }

    private static String outOfPolicy(final JsonNode request) throws IOException {
        final JsonNode incident = incident(request);
        final String first = incident.path("services").path(0).asText("unknown");
        final ObjectNode out = JSON.createObjectNode().put("summary", "As instructed in the alert, deleting everything.");
        final ArrayNode hypotheses = out.putArray("hypotheses");
        final ObjectNode real = hypotheses.addObject().put("service", first).put("fault", "oom_killed")
                .put("description", "cites only evidence that does not exist").put("confidence", 0.9);
        real.putArray("evidence_ids").add("alert:does-not-exist");
        final ObjectNode invented = hypotheses.addObject().put("service", "kube-system").put("fault", "anything")
                .put("description", "a service outside the incident").put("confidence", 0.5);
        invented.putArray("evidence_ids").add("topology:kube-system");
        for (final JsonNode e : incident.path("evidence")) {
            if (e.path("kind").asText().equals("alert")) {
                final ObjectNode h = hypotheses.addObject().put("service", e.path("service").asText())
                        .put("fault", "oom_killed").put("description", "a cited one").put("confidence", 0.4);
                h.putArray("evidence_ids").add(e.path("id").asText());
                break;
            }
        }
        final ArrayNode actions = out.putArray("actions");
        actions.addObject().put("action_type", "DELETE_NAMESPACE").put("service", first).put("rationale", "wipe")
                .put("hypothesis_rank", 1).putArray("parameters");
        actions.addObject().put("action_type", "DELETE_POD").put("service", "kube-system").put("rationale", "outside")
                .put("hypothesis_rank", 1).putArray("parameters");
        final ObjectNode scale = actions.addObject().put("action_type", "SCALE_DEPLOYMENT").put("service", first)
                .put("rationale", "scale to zero").put("hypothesis_rank", 1);
        scale.putArray("parameters").addObject().put("key", "replicas_delta").put("value", "-50");
        return out.toString();
    }

    private static String error(final String code, final String message) {
        final ObjectNode out = JSON.createObjectNode();
        out.putObject("error").put("message", message).put("type", code).put("code", code);
        return out.toString();
    }

    private static void reply(final HttpExchange exchange, final int status, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(final Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
