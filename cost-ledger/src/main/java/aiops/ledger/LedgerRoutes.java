package aiops.ledger;

import aiops.common.auth.Role;
import aiops.common.http.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/ledger/summary} and {@code /api/v1/budgets}: read for readonly, budgets changed by admins. */
public final class LedgerRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerQueries queries;

    public LedgerRoutes(final LedgerQueries queries) {
        this.queries = queries;
    }

    public void register(final RoutesConfig routes) {
        routes.get("/api/v1/ledger/summary", this::summary, Role.READONLY);
        routes.get("/api/v1/budgets", this::budgets, Role.READONLY);
        routes.put("/api/v1/budgets/{scope}/{period}", this::putBudget, Role.ADMIN);
    }

    private void summary(final Context ctx) throws SQLException {
        final Instant since = Instant.now().minus(parseAge(ctx.queryParam("since"), "since"));
        final LedgerQueries.By by;
        try {
            by = LedgerQueries.By.parse(ctx.queryParamAsClass("by", String.class).getOrDefault("model"));
        } catch (final IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_field", e.getMessage(), "by");
        }
        final var lines = queries.summary(since, by, ctx.queryParam("replay"));
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", since.toString());
        out.put("by", by.name().toLowerCase(java.util.Locale.ROOT));
        out.put("rows", lines.stream().map(l -> Map.of("key", l.key(), "calls", l.calls(), "billed_calls",
                l.billedCalls(), "input_tokens", l.inputTokens(), "output_tokens", l.outputTokens(),
                "cost_usd", l.costUsd().toPlainString())).toList());
        ctx.json(out);
    }

    private void budgets(final Context ctx) throws SQLException {
        ctx.json(Map.of("budgets", queries.budgets().stream().map(b -> Map.of("scope", b.scope(), "period", b.period(),
                "limit_usd", b.limitUsd().toPlainString(), "soft_ratio", b.softRatio(),
                "spent_usd", b.spentUsd().toPlainString())).toList()));
    }

    private void putBudget(final Context ctx) throws SQLException {
        final String scope = ctx.pathParam("scope");
        final String period = ctx.pathParam("period");
        if (!scope.equals("global") && !scope.matches("(team|service|model):[^\\s]{1,200}")) {
            throw ApiError.badRequest("invalid_field", "global, team:<t>, service:<s> or model:<m>", "scope");
        }
        if (!period.equals("day") && !period.equals("month")) {
            throw ApiError.badRequest("invalid_field", "day or month", "period");
        }
        final JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (final IOException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON", "body");
        }
        final BigDecimal limit = decimal(body, "limit_usd");
        if (limit == null || limit.signum() <= 0) {
            throw ApiError.badRequest("invalid_field", "a positive amount in USD", "limit_usd");
        }
        final BigDecimal soft = body.has("soft_ratio") ? decimal(body, "soft_ratio") : new BigDecimal("0.8");
        if (soft == null || soft.signum() <= 0 || soft.compareTo(BigDecimal.ONE) > 0) {
            throw ApiError.badRequest("invalid_field", "a ratio above 0 and at most 1", "soft_ratio");
        }
        queries.putBudget(scope, period, limit, soft);
        ctx.json(Map.of("scope", scope, "period", period, "limit_usd", limit.toPlainString(),
                "soft_ratio", soft.toPlainString()));
    }

    private static BigDecimal decimal(final JsonNode body, final String field) {
        final JsonNode n = body == null ? null : body.get(field);
        if (n == null || !(n.isNumber() || n.isTextual())) {
            return null;
        }
        try {
            return new BigDecimal(n.asText());
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}; default 7 days. */
    public static Duration parseAge(final String text, final String field) {
        if (text == null || text.isBlank()) {
            return Duration.ofDays(7);
        }
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([dhm])").matcher(text.trim());
        if (!m.matches()) {
            throw ApiError.badRequest("invalid_field", "an age such as 7d, 12h or 30m", field);
        }
        final long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
