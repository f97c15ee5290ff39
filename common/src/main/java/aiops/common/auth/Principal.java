package aiops.common.auth;

/**
 * Who is calling: an API key or an admin user holding a token.
 *
 * @param id                key id ({@code k-...}) or {@code user:<name>}; never the secret
 * @param ratePerMinute     the caller's own request limit, or {@code null} for the default
 */
public record Principal(String id, String name, Role role, Integer ratePerMinute) {
}
