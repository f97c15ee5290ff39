package aiops.common.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** What a caller may do. Each role includes the ones before it. */
public enum Role implements RouteRole {
    /** May read (GET). */
    READONLY,
    /** May also send signals. */
    USER,
    /** May also manage keys, users, budgets and approvals. */
    ADMIN;

    public boolean includes(final Role required) {
        return ordinal() >= required.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(final String value) {
        for (final Role role : values()) {
            if (role.wireName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be admin, user or readonly");
    }
}
