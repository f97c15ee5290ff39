package aiops.remediator.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One database transaction around a piece of work: committed when it returns, rolled back when it throws. */
public final class Tx {

    /** Work inside the transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Tx() {
    }

    public static <T> T run(final DataSource db, final Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                final T result = work.run(c);
                c.commit();
                return result;
            } catch (final SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
