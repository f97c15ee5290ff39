package aiops.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Authenticator;
import aiops.common.auth.HmacVerifier;
import aiops.common.auth.LoginThrottle;
import aiops.common.auth.RateLimiter;
import aiops.common.auth.Role;
import aiops.common.auth.TokenService;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The POST routes served in front of Javalin, on a real server: the same door, answers and errors as every route. */
class PostRoutesTest {

    private static final int MAX_BODY = 4096;
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final List<String> SEEN = new ArrayList<>();
    private static ApiServer server;
    private static final io.micrometer.prometheusmetrics.PrometheusMeterRegistry METRICS = Metrics.newRegistry("test");
    private static TokenService tokens;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        final Clock clock = Clock.systemUTC();
        tokens = new TokenService(new byte[32], clock);
        // Tokens are checked without the key store, so no database is needed.
        final ApiKeyStore keys = new ApiKeyStore(null);
        final HttpSecurity security = new HttpSecurity(new Authenticator(keys, tokens, clock), tokens,
                new RateLimiter(10_000), new HmacVerifier(Map.of(), clock), keys, false,
                List.of("https://ops.example"), MAX_BODY, new LoginThrottle());
        final List<PostRoute> posts = List.of(
                new PostRoute("/echo", Role.ADMIN, request -> {
                    synchronized (SEEN) {
                        SEEN.add(new String(request.body(), StandardCharsets.UTF_8));
                    }
                    return CompletableFuture.supplyAsync(() -> new PostRoute.Answer(202,
                            "{\"bytes\":" + request.body().length + ",\"trace\":\"" + request.trace().traceId() + "\"}"));
                }),
                new PostRoute("/refuse", Role.ADMIN, request -> CompletableFuture.failedFuture(
                        new ApiError(503, "kafka_unavailable", "later", null, Map.of("Retry-After", "5")))),
                new PostRoute("/broken", Role.ADMIN, request -> {
                    throw new IllegalStateException("a bug with a secret inside");
                }));
        server = ApiServer.start("127.0.0.1", 0, new Readiness(), METRICS, security,
                routes -> {
                    routes.get("/echo", ctx -> ctx.result("javalin"));
                    routes.get("/things/{id}", ctx -> ctx.result(ctx.pathParam("id")));
                }, List.of(new ApiServer.Mount("/mounted", new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void doGet(final jakarta.servlet.http.HttpServletRequest req,
                                         final jakarta.servlet.http.HttpServletResponse resp) throws IOException {
                        resp.setStatus(203);
                        resp.getWriter().write("mounted");
                    }
                }, Role.READONLY)), posts);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldServeAnAdmittedPostWithTheBodyTraceAndSecurityHeaders() throws Exception {
        final HttpResponse<String> answer = post("/echo", "{\"a\":1}", "Authorization", "Bearer " + tokens.issue("ann"),
                "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01", "Origin", "https://ops.example");
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).isEqualTo("{\"bytes\":7,\"trace\":\"" + TRACE_ID + "\"}");
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(answer.headers().firstValue("traceparent")).hasValueSatisfying(t ->
                assertThat(t).startsWith("00-" + TRACE_ID + "-").doesNotContain("00f067aa0ba902b7"));
        ApiServer.SECURITY_HEADERS.forEach((name, value) ->
                assertThat(answer.headers().firstValue(name)).as(name).contains(value));
        assertThat(answer.headers().firstValue("X-RateLimit-Limit")).contains("10000");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ops.example");
        synchronized (SEEN) {
            assertThat(SEEN).contains("{\"a\":1}");
        }
        final HttpResponse<String> slash = post("/echo/", "{\"b\":2}", "Authorization", "Bearer " + tokens.issue("a"));
        assertThat(slash.statusCode()).isEqualTo(202);
    }

    @Test
    void shouldRefuseWithoutCredentialOrRoleBeforeTheHandlerRuns() throws Exception {
        final HttpResponse<String> none = post("/echo", "{\"none\":1}", "Origin", "https://evil.example");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(errorCode(none.body())).isEqualTo("unauthorized");
        final HttpResponse<String> forged = post("/echo", "{\"forged\":1}", "Authorization",
                "Bearer " + new TokenService("another secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8),
                        Clock.systemUTC()).issue("eve"));
        assertThat(forged.statusCode()).isEqualTo(401);
        synchronized (SEEN) {
            assertThat(SEEN).doesNotContain("{\"none\":1}", "{\"forged\":1}");
        }
    }

    @Test
    void shouldAnswerHandlerFailuresAsJsonErrorsWithoutInternals() throws Exception {
        final String admin = "Bearer " + tokens.issue("ann");
        final HttpResponse<String> refused = post("/refuse", "{}", "Authorization", admin);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        assertThat(errorCode(refused.body())).isEqualTo("kafka_unavailable");

        final HttpResponse<String> broken = post("/broken", "{}", "Authorization", admin);
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(errorCode(broken.body())).isEqualTo("internal_error");
        assertThat(broken.body()).doesNotContain("secret").doesNotContain("IllegalState");
    }

    @Test
    void shouldRefuseABodyOverTheLimitWhetherDeclaredOrChunked() throws Exception {
        final String admin = "Bearer " + tokens.issue("ann");
        final String declared = raw("POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: " + admin
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n");
        assertThat(declared).startsWith("HTTP/1.1 413").contains("payload_too_large");
        // A chunked body has no length to refuse up front: it is refused once it outgrows the limit while read.
        final String chunked = raw("POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: " + admin
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(MAX_BODY + 100) + "\r\n" + "x".repeat(MAX_BODY + 100) + "\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("payload_too_large");
        synchronized (SEEN) {
            assertThat(SEEN).noneMatch(body -> body.length() > MAX_BODY);
        }
    }

    @Test
    void shouldAskForTheBodyOfAnAdmittedRequestThatWaitsForContinue() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            final String body = "{\"continued\":true}";
            socket.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + tokens.issue("ann") + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            assertThat(readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 100");
            socket.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(readUntil(in, "}")).startsWith("HTTP/1.1 202").contains("\"bytes\":" + body.length());
        }
    }

    @Test
    void shouldHandOtherMethodsAndPathsToTheJavalinRoutes() throws Exception {
        final HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(uri("/echo"))
                .header("Authorization", "Bearer " + tokens.issue("ann")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("javalin");
        final HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/health/live")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        // A browser's preflight for a POST route is answered by the CORS rules like any other route's.
        final HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(uri("/echo"))
                .header("Origin", "https://ops.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ops.example");
        final HttpResponse<String> elsewhere = post("/echo/more", "{}", "Authorization", "Bearer " + tokens.issue("a"));
        assertThat(elsewhere.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldCountRequestsByRouteTemplateAndStatus() throws Exception {
        final String admin = "Bearer " + tokens.issue("ann");
        post("/echo", "{}", "Authorization", admin);
        post("/echo", "{}");
        HTTP.send(HttpRequest.newBuilder(uri("/echo")).header("Authorization", admin).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HTTP.send(HttpRequest.newBuilder(uri("/no/such/thing-" + System.nanoTime())).header("Authorization", admin)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HTTP.send(HttpRequest.newBuilder(uri("/things/thing-42")).header("Authorization", admin).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(HTTP.send(HttpRequest.newBuilder(uri("/mounted/x-7")).header("Authorization", admin).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(203);
        final String scrape = METRICS.scrape();
        assertThat(scrape)
                .containsPattern("aiops_http_requests_seconds_count\\{[^}]*method=\"POST\",route=\"/echo\",status=\"202\"\\}")
                .containsPattern("aiops_http_requests_seconds_count\\{[^}]*method=\"POST\",route=\"/echo\",status=\"401\"\\}")
                .containsPattern("aiops_http_requests_seconds_count\\{[^}]*method=\"GET\",route=\"/echo\",status=\"200\"\\}")
                .containsPattern("aiops_http_requests_seconds_count\\{[^}]*method=\"GET\",route=\"unmatched\",status=\"404\"\\}")
                .containsPattern("aiops_http_requests_seconds_count\\{[^}]*method=\"GET\",route=\"/things/\\{id}\",status=\"200\"\\}")
                .containsPattern("aiops_http_requests_seconds_count\\{[^}]*method=\"GET\",route=\"/mounted\",status=\"203\"\\}")
                .doesNotContain("/no/such/thing").doesNotContain("thing-42");
    }

    private static HttpResponse<String> post(final String path, final String body, final String... headers)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** One raw exchange; the server closes a connection whose request it refused, which ends the answer. */
    private static String raw(final String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            final StringBuilder answer = new StringBuilder();
            final byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("}}") > 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    private static String readUntil(final InputStream in, final String end) throws IOException {
        final StringBuilder read = new StringBuilder();
        while (read.indexOf(end) < 0) {
            final int c = in.read();
            if (c < 0) {
                break;
            }
            read.append((char) c);
        }
        return read.toString();
    }

    private static String errorCode(final String body) throws IOException {
        return ApiServer.jsonMapper().readTree(body).path("error").path("code").asText();
    }
}
